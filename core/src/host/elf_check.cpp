// The ELF checks run before dlopen (see elf_check.hpp). Only fixed-layout
// headers are read, with <elf.h>'s own structs, and every offset is checked
// against the file's size before it is used: the point is to never touch
// bytes the file does not have.
#include "seam/core/host/elf_check.hpp"

#include <elf.h>
#include <fcntl.h>
#include <link.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstring>
#include <regex>
#include <vector>

namespace seam {

namespace {

#if defined(__x86_64__)
constexpr int kHostMachine = EM_X86_64;
#elif defined(__i386__)
constexpr int kHostMachine = EM_386;
#elif defined(__aarch64__)
constexpr int kHostMachine = EM_AARCH64;
#elif defined(__arm__)
constexpr int kHostMachine = EM_ARM;
#elif defined(__riscv)
constexpr int kHostMachine = EM_RISCV;
#elif defined(__powerpc64__)
constexpr int kHostMachine = EM_PPC64;
#elif defined(__s390x__)
constexpr int kHostMachine = EM_S390;
#elif defined(__loongarch__)
constexpr int kHostMachine = 258; // EM_LOONGARCH
#else
constexpr int kHostMachine = EM_NONE; // unknown here: the machine is not checked
#endif

constexpr int kHostClass = sizeof(void *) == 8 ? ELFCLASS64 : ELFCLASS32;
constexpr int kHostData = __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__ ? ELFDATA2LSB : ELFDATA2MSB;

std::string machine_name(unsigned m) {
  switch (m) {
  case EM_386:
    return "Intel 80386";
  case EM_X86_64:
    return "x86-64";
  case EM_AARCH64:
    return "AArch64";
  case EM_ARM:
    return "ARM";
  case EM_RISCV:
    return "RISC-V";
  case EM_PPC:
    return "PowerPC";
  case EM_PPC64:
    return "PowerPC64";
  case EM_S390:
    return "IBM S/390";
  case EM_MIPS:
    return "MIPS";
  case EM_SPARCV9:
    return "SPARC V9";
  case EM_IA_64:
    return "IA-64";
  case EM_BPF:
    return "eBPF";
  case 258:
    return "LoongArch";
  default:
    return "machine " + std::to_string(m);
  }
}

std::string type_name(unsigned t) {
  switch (t) {
  case ET_REL:
    return "an ELF relocatable object (.o)";
  case ET_EXEC:
    return "an ELF executable";
  case ET_DYN:
    return "an ELF shared library";
  case ET_CORE:
    return "an ELF core dump";
  default:
    return "an ELF file of type " + std::to_string(t);
  }
}

// A 16-bit field of a header in the file's own byte order.
unsigned u16(const unsigned char *p, int data) {
  return data == ELFDATA2MSB ? (p[0] << 8) | p[1] : (p[1] << 8) | p[0];
}

// `what` with its verb: "segments need", "ELF header needs".
std::string truncated(uint64_t size, uint64_t need, const char *what) {
  return "truncated (file has " + std::to_string(size) + " bytes, its " + what + " " +
         std::to_string(need) + ")";
}

// What a file that is not ELF starts with: its text when it reads as text,
// else its first bytes in hex.
std::string describe_start(const unsigned char *p, size_t n) {
  size_t shown = std::min<size_t>(n, 16);
  bool text = true;
  for (size_t i = 0; i < shown && text; ++i)
    text = (p[i] >= 0x20 && p[i] < 0x7f) || p[i] == '\n' || p[i] == '\r' || p[i] == '\t';
  if (text) {
    std::string s;
    for (size_t i = 0; i < shown && p[i] != '\n' && p[i] != '\r'; ++i)
      s += p[i] == '"' ? std::string("\\\"") : std::string(1, static_cast<char>(p[i]));
    return "starts with text \"" + s + "\"";
  }
  static const char *hex = "0123456789abcdef";
  std::string s;
  for (size_t i = 0; i < std::min<size_t>(n, 4); ++i) {
    if (i)
      s += ' ';
    s += hex[p[i] >> 4];
    s += hex[p[i] & 15];
  }
  return "starts with bytes " + s;
}

struct Fd {
  int fd;
  ~Fd() {
    if (fd >= 0)
      ::close(fd);
  }
};

bool read_at(int fd, void *buf, size_t n, uint64_t off) {
  auto *p = static_cast<char *>(buf);
  while (n > 0) {
    ssize_t r = ::pread(fd, p, n, static_cast<off_t>(off));
    if (r < 0 && errno == EINTR)
      continue;
    if (r <= 0)
      return false;
    p += r;
    n -= static_cast<size_t>(r);
    off += static_cast<uint64_t>(r);
  }
  return true;
}

} // namespace

std::string elf_host_expectation() {
  std::string s = kHostClass == ELFCLASS64 ? "a 64-bit " : "a 32-bit ";
  if (kHostData == ELFDATA2MSB)
    s += "big-endian ";
  s += "ELF shared library";
  if (kHostMachine != EM_NONE)
    s += " for " + machine_name(kHostMachine);
  return s;
}

std::optional<std::string> elf_library_problem(const std::string &path) {
  const std::string expected = "; expected " + elf_host_expectation();
  Fd f{::open(path.c_str(), O_RDONLY | O_CLOEXEC)};
  if (f.fd < 0)
    return std::string("cannot open: ") + std::strerror(errno);
  struct stat st {};
  if (::fstat(f.fd, &st) != 0)
    return std::string("cannot read: ") + std::strerror(errno);
  if (!S_ISREG(st.st_mode))
    return "not a regular file" + expected;
  const auto size = static_cast<uint64_t>(st.st_size);
  if (size == 0)
    return "empty file (0 bytes)" + expected;

  using Ehdr = ElfW(Ehdr);
  using Phdr = ElfW(Phdr);
  using Shdr = ElfW(Shdr);
  unsigned char head[sizeof(Ehdr)] = {};
  size_t have = static_cast<size_t>(std::min<uint64_t>(size, sizeof head));
  if (!read_at(f.fd, head, have, 0))
    return std::string("cannot read: ") + std::strerror(errno ? errno : EIO);

  if (std::memcmp(head, ELFMAG, std::min<size_t>(have, SELFMAG)) != 0)
    return "not an ELF file (" + describe_start(head, have) + ")" + expected;
  // The type and machine fields end at byte 20 in both classes.
  if (have < 20)
    return truncated(size, sizeof(Ehdr), "ELF header needs");

  const int cls = head[EI_CLASS], data = head[EI_DATA];
  if (data != ELFDATA2LSB && data != ELFDATA2MSB)
    return "not a plugin library: an ELF file of unknown byte order " + std::to_string(data) +
           expected;
  const unsigned type = u16(head + 16, data), machine = u16(head + 18, data);
  if (cls != kHostClass) {
    if (cls != ELFCLASS32 && cls != ELFCLASS64)
      return "not a plugin library: an ELF file of unknown class " + std::to_string(cls) + expected;
    return std::string("not a plugin library: a ") + (cls == ELFCLASS64 ? "64" : "32") +
           "-bit ELF file (ELF" + (cls == ELFCLASS64 ? "64" : "32") + ", " + machine_name(machine) +
           ")" + expected;
  }
  if (data != kHostData)
    return std::string("not a plugin library: a ") +
           (data == ELFDATA2MSB ? "big-endian" : "little-endian") + " ELF file (" +
           machine_name(machine) + ")" + expected;
  if (kHostMachine != EM_NONE && machine != static_cast<unsigned>(kHostMachine))
    return "not a plugin library: " + type_name(type) + " for " + machine_name(machine) + expected;
  if (type != ET_DYN)
    return type_name(type) + ", not a shared library" + expected;
  if (size < sizeof(Ehdr))
    return truncated(size, sizeof(Ehdr), "ELF header needs");

  // From here on the file has this host's layout and byte order.
  Ehdr eh;
  std::memcpy(&eh, head, sizeof eh);
  if (eh.e_phnum > 0 && eh.e_phentsize != sizeof(Phdr))
    return "not a plugin library: malformed ELF header (program header size " +
           std::to_string(eh.e_phentsize) + ", expected " + std::to_string(sizeof(Phdr)) + ")";
  // Sizes are at most 65535 * 65535, so with a 64-bit offset no sum overflows
  // unless the offset alone is absurd, which the first comparison catches.
  const uint64_t ph_end = uint64_t(eh.e_phoff) + uint64_t(eh.e_phnum) * eh.e_phentsize;
  if (eh.e_phoff > size || ph_end > size)
    return truncated(size, ph_end < eh.e_phoff ? UINT64_MAX : ph_end, "program headers need");

  std::vector<Phdr> ph(eh.e_phnum);
  if (!ph.empty() && !read_at(f.fd, ph.data(), ph.size() * sizeof(Phdr), eh.e_phoff))
    return std::string("cannot read: ") + std::strerror(errno ? errno : EIO);
  uint64_t seg_end = 0;
  for (const auto &p : ph) {
    if (p.p_type != PT_LOAD)
      continue;
    const uint64_t end = uint64_t(p.p_offset) + p.p_filesz;
    seg_end = std::max(seg_end, end < p.p_offset ? UINT64_MAX : end);
  }
  if (seg_end > size)
    return truncated(size, seg_end, "segments need");

  if (eh.e_shoff != 0) {
    if (eh.e_shentsize != sizeof(Shdr))
      return "not a plugin library: malformed ELF header (section header size " +
             std::to_string(eh.e_shentsize) + ", expected " + std::to_string(sizeof(Shdr)) + ")";
    uint64_t count = eh.e_shnum;
    // More than 0xff00 sections: the count is in the first section header.
    if (count == 0 && uint64_t(eh.e_shoff) + sizeof(Shdr) <= size) {
      Shdr first;
      if (read_at(f.fd, &first, sizeof first, eh.e_shoff))
        count = first.sh_size;
    }
    const uint64_t sh_end = uint64_t(eh.e_shoff) + std::max<uint64_t>(count, 1) * sizeof(Shdr);
    if (eh.e_shoff > size || sh_end > size || sh_end < eh.e_shoff)
      return truncated(size, sh_end < eh.e_shoff ? UINT64_MAX : sh_end, "section headers need");
  }
  return std::nullopt;
}

std::string clean_dlerror(const std::string &path, const std::string &text) {
  std::string s = text;
  // glibc starts with the file's name; the caller's message already has it.
  if (s.rfind(path + ": ", 0) == 0)
    s.erase(0, path.size() + 2);
  static const std::regex missing(
      "^([^:]+): cannot open shared object file: No such file or directory$");
  std::smatch m;
  if (std::regex_match(s, m, missing))
    return "needs " + m[1].str() +
           ", which was not found (install it, or add its directory to LD_LIBRARY_PATH or "
           "the plugin's RUNPATH)";
  return s;
}

} // namespace seam
