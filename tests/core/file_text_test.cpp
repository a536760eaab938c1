// read_file_text: a file's bytes whole, whatever its size says; errno when
// it cannot be read.
#include "seam/core/base/file_text.hpp"

#include <gtest/gtest.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>
#include <unistd.h>

namespace seam {
namespace {

class FileText : public ::testing::Test {
protected:
  void SetUp() override {
    char tmpl[] = "/tmp/seam-file-text.XXXXXX";
    ASSERT_NE(::mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
  }
  void TearDown() override {
    std::string cmd = "rm -rf '" + dir_ + "'";
    ASSERT_EQ(std::system(cmd.c_str()), 0);
  }
  std::string write(const std::string &name, const std::string &bytes) {
    std::string path = dir_ + "/" + name;
    std::ofstream(path, std::ios::binary) << bytes;
    return path;
  }
  std::string dir_;
};

TEST_F(FileText, ReadsEveryByte) {
  std::string bytes;
  for (int i = 0; i < 300000; ++i) // larger than any one read, with NULs
    bytes += static_cast<char>(i * 7);
  EXPECT_EQ(read_file_text(write("big.bin", bytes)), bytes);
}

TEST_F(FileText, ReadsAnEmptyFile) { EXPECT_EQ(read_file_text(write("empty", "")), ""); }

TEST_F(FileText, ReadsAFileWhoseSizeSaysNothing) {
  // /proc files report a size of 0 and still hold text.
  std::optional<std::string> status = read_file_text("/proc/self/status");
  ASSERT_TRUE(status);
  EXPECT_NE(status->find("Pid:"), std::string::npos);
}

TEST_F(FileText, AMissingFileIsNothingWithErrno) {
  errno = 0;
  EXPECT_EQ(read_file_text(dir_ + "/missing.toml"), std::nullopt);
  EXPECT_EQ(errno, ENOENT);
}

TEST_F(FileText, ADirectoryIsNothingWithErrno) {
  errno = 0;
  EXPECT_EQ(read_file_text(dir_), std::nullopt);
  EXPECT_EQ(errno, EISDIR);
}

} // namespace
} // namespace seam
