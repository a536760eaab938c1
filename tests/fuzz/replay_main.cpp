// Replays a fuzz target's corpus (the seeds and every input that once
// crashed it) in the ordinary build, without clang or libFuzzer: each file
// of the target's corpus directory is one test case. Linked with one
// *_fuzz.cpp file; the directory is the program's argument:
//   fuzz_replay_TARGET [GTEST FLAGS] tests/fuzz/corpus/TARGET
#include <gtest/gtest.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

namespace {

std::filesystem::path corpus_dir;

std::vector<std::filesystem::path> corpus() {
  std::vector<std::filesystem::path> files;
  for (const auto &e : std::filesystem::directory_iterator(corpus_dir))
    if (e.is_regular_file())
      files.push_back(e.path());
  std::sort(files.begin(), files.end());
  return files;
}

TEST(FuzzCorpus, EveryInputIsHandled) {
  auto files = corpus();
  ASSERT_FALSE(files.empty()) << "no corpus in " << corpus_dir;
  for (const auto &f : files) {
    SCOPED_TRACE(f.string());
    std::ifstream in(f, std::ios::binary);
    std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    // A crash ends the test binary, naming the file in the output below.
    std::fprintf(stderr, "replaying %s\n", f.filename().c_str());
    EXPECT_EQ(LLVMFuzzerTestOneInput(reinterpret_cast<const uint8_t *>(bytes.data()), bytes.size()),
              0);
  }
}

} // namespace

int main(int argc, char **argv) {
  testing::InitGoogleTest(&argc, argv);
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s [GTEST FLAGS] CORPUS_DIR\n", argv[0]);
    return 2;
  }
  corpus_dir = argv[1];
  return RUN_ALL_TESTS();
}
