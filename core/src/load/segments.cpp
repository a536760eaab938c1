#include "segments.hpp"

#include <algorithm>
#include <array>
#include <condition_variable>
#include <exception>
#include <mutex>
#include <optional>
#include <string_view>
#include <thread>

namespace seam {

constexpr size_t kSegmentMinBytes = 256 * 1024;

namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t'))
    s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r'))
    s.remove_suffix(1);
  return s;
}

} // namespace

std::vector<Segment> split_segments(const std::string &text) {
  std::vector<Segment> whole{{0, text.size(), 0}};
  if (text.size() < kSegmentMinBytes || text.find("\"\"\"") != std::string::npos ||
      text.find("'''") != std::string::npos)
    return whole;
  std::vector<Segment> segs{{0, 0, 0}};
  bool seen_test = false;
  uint32_t line = 0;
  for (size_t pos = 0; pos < text.size(); ++line) {
    size_t eol = text.find('\n', pos);
    if (eol == std::string::npos)
      eol = text.size();
    std::string_view l = trim(std::string_view(text).substr(pos, eol - pos));
    if (!l.empty() && l.front() == '[') {
      if (auto hash = l.find('#'); hash != std::string_view::npos)
        l = trim(l.substr(0, hash));
      bool dbl = l.size() >= 4 && l.substr(0, 2) == "[[" && l.substr(l.size() - 2) == "]]";
      std::string_view name =
          trim(dbl ? l.substr(2, l.size() - 4) : l.substr(1, l.size() >= 2 ? l.size() - 2 : 0));
      std::string_view top = trim(name.substr(0, name.find('.')));
      if (name.find_first_of("\"'") != std::string_view::npos)
        return whole;
      if (dbl && name == "test") {
        if (seen_test || pos > 0) {
          segs.back().end = pos;
          segs.push_back({pos, 0, line});
        }
        seen_test = true;
      } else if (seen_test && top != "test" && top != "setup" && top != "teardown") {
        return whole;
      }
    }
    pos = eol + 1;
  }
  segs.back().end = text.size();
  if (segs.size() < 2)
    return whole;
  // Tests are small: parse them in chunks of many, so that the work per
  // parse (and per thread) outweighs starting it.
  constexpr size_t kChunkBytes = 32 * 1024;
  std::vector<Segment> chunks{segs[0]};
  for (size_t i = 1; i < segs.size(); ++i) {
    if (chunks.size() > 1 && chunks.back().end - chunks.back().begin < kChunkBytes)
      chunks.back().end = segs[i].end;
    else
      chunks.push_back(segs[i]);
  }
  return chunks;
}

namespace {

// The 1-based line and column of byte `at` of `t`.
SourceLoc loc_of(const SourceFile *file, size_t at) {
  const std::string &t = file->text;
  uint32_t line = 1, col = 1;
  for (size_t k = 0; k < at; ++k) {
    if (t[k] == '\n') {
      ++line;
      col = 1;
    } else if ((static_cast<unsigned char>(t[k]) & 0xC0) != 0x80) {
      ++col;
    }
  }
  return SourceLoc{file, line, col};
}

// The length of the valid UTF-8 sequence of 2-4 bytes at t[i] (before n), or 0.
size_t utf8_length(const std::string &t, size_t i, size_t n) {
  auto b = [&](size_t k) { return static_cast<unsigned char>(t[k]); };
  unsigned char lead = b(i);
  size_t len = lead >= 0xC2 && lead <= 0xDF   ? 2
               : lead >= 0xE0 && lead <= 0xEF ? 3
               : lead >= 0xF0 && lead <= 0xF4 ? 4
                                              : 0;
  if (len == 0 || i + len > n)
    return 0;
  for (size_t k = 1; k < len; ++k)
    if ((b(i + k) & 0xC0) != 0x80)
      return 0;
  return len;
}

// What the scan below does with a byte outside strings and comments.
enum class ByteClass : uint8_t {
  plain, // printable ASCII with no meaning to the scan: it only ends a line's start
  blank, // ' ', '\t', '\r': nothing
  other, // the rest: a case of the scan's switch
};

constexpr std::array<ByteClass, 256> byte_classes() {
  std::array<ByteClass, 256> classes{};
  for (int b = 0; b < 256; ++b) {
    const char c = static_cast<char>(b);
    bool special = std::string_view("\"'#.[]{}=,").find(c) != std::string_view::npos;
    classes[b] = (c == ' ' || c == '\t' || c == '\r') ? ByteClass::blank
                 : (b > 0x20 && b < 0x7F && !special) ? ByteClass::plain
                                                      : ByteClass::other;
  }
  return classes;
}
constexpr std::array<ByteClass, 256> kByteClass = byte_classes();

// Inside a one-line string: the bytes that may end it or escape the next.
constexpr std::array<bool, 256> string_stops() {
  std::array<bool, 256> stops{};
  for (char c : std::string_view("\"'\\\n"))
    stops[static_cast<unsigned char>(c)] = true;
  return stops;
}
constexpr std::array<bool, 256> kStringStop = string_stops();

bool bare_key_char(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' ||
         c == '-';
}

} // namespace

// Two inputs TOML++ mishandles instead of refusing:
// - 20,000 dots overflow its stack (a.b.c = 1 and [a.b.c] nest a table per
//   dot). Values have at most one dot (a float) between the separators that
//   reset the count.
// - a table header whose name starts with neither a bare-key character nor a
//   quote (`[ = 1`, `[[[a]]]`) breaks a precondition of its key parser: an
//   assertion in a debug build, undefined behaviour in a release one.
// The scan skips strings and comments, and knows a header by its `[` first on
// a line outside any value's brackets. A segment starts at a line's start,
// outside any string and value (files with multi-line strings are one
// segment), so scanning the segments one by one, each on its parser thread,
// finds what one scan would.
void refuse_parser_traps(const SourceFile *file, Segment seg) {
  constexpr size_t kMaxDots = 100;
  const std::string &t = file->text;
  const size_t n = seg.end;
  auto triple = [&](size_t i, char q) { return i + 2 < n && t[i + 1] == q && t[i + 2] == q; };
  size_t dots = 0;
  size_t depth = 0;       // brackets and braces open in a value
  bool line_start = true; // nothing but blanks yet on this line
  bool in_header = false; // between a header's `[` and the end of its line
  bool not_text = false;  // a control byte or invalid UTF-8 came first
  auto cls = [&](size_t i) { return kByteClass[static_cast<unsigned char>(t[i])]; };
  for (size_t i = seg.begin; i < n; ++i) {
    // Most bytes mean nothing here: skip their runs in a tight loop.
    if (ByteClass k = cls(i); k == ByteClass::plain) {
      while (i + 1 < n && cls(i + 1) == ByteClass::plain)
        ++i;
      line_start = false;
      continue;
    } else if (k == ByteClass::blank) {
      continue;
    }
    char c = t[i];
    if (line_start && depth == 0 && c == '[') {
      size_t k = i + 1;
      if (k < n && t[k] == '[')
        ++k;
      while (k < n && (t[k] == ' ' || t[k] == '\t'))
        ++k;
      if (k >= n || !(bare_key_char(t[k]) || t[k] == '"' || t[k] == '\''))
        throw SuiteErrors({{loc_of(file, k), "a table header needs a name after its '['",
                            "write a bare name or a quoted one, as in [vars] or [[test]]"}});
      in_header = true;
      line_start = false;
      i = k - 1;
      continue;
    }
    if (c != ' ' && c != '\t' && c != '\r' && c != '\n')
      line_start = false;
    switch (c) {
    case '"':
    case '\'': {
      bool multi = triple(i, c);
      i += multi ? 3 : 1;
      for (; i < n; ++i) {
        if (!multi) // to the next quote, backslash or line break
          while (i < n && !kStringStop[static_cast<unsigned char>(t[i])])
            ++i;
        if (i >= n)
          break;
        if (c == '"' && t[i] == '\\')
          ++i;
        else if (t[i] == c && (!multi || triple(i, c)))
          break;
        else if (!multi && t[i] == '\n')
          break; // unterminated: TOML++ reports it
      }
      if (multi)
        i += 2;
      break;
    }
    case '#':
      while (i + 1 < n && t[i + 1] != '\n')
        ++i;
      dots = 0;
      break;
    case '.':
      if (++dots > kMaxDots)
        throw SuiteErrors(
            {{loc_of(file, i), "key nested more than " + std::to_string(kMaxDots) + " levels deep",
              "a dotted key nests a table per dot; flatten the value"}});
      break;
    case '[':
    case '{':
      if (!in_header)
        ++depth;
      dots = 0;
      break;
    case ']':
    case '}':
      if (!in_header && depth > 0)
        --depth;
      dots = 0;
      break;
    case '\n':
      line_start = true;
      in_header = false;
      dots = 0;
      break;
    case '=':
    case ',':
      dots = 0;
      break;
    default:
      // Outside strings and comments TOML allows ASCII only, and TOML++ 3.3
      // classifies some code points there through a table with holes
      // (undefined behaviour). A file that is no text (control bytes,
      // invalid UTF-8) before that point is left to TOML++, which says so;
      // so is a byte order mark at the start of the file.
      if (auto u = static_cast<unsigned char>(c);
          (u < 0x20 && c != '\t' && c != '\r') || u == 0x7F) {
        not_text = true;
      } else if (u >= 0x80 && !not_text && !(i == 0 && t.compare(0, 3, "\xEF\xBB\xBF") == 0)) {
        size_t len = utf8_length(t, i, n);
        if (len == 0)
          not_text = true;
        else
          throw SuiteErrors(
              {{loc_of(file, i),
                "'" + t.substr(i, len) + "' outside a string: TOML allows only ASCII there",
                "quote the key (\"caf\u00e9\" = 1) or move the text into a string"}});
      }
      break;
    }
  }
}

void parse_ahead(const std::vector<Segment> &segs, const std::function<toml::table(Segment)> &parse,
                 const std::function<void(size_t, toml::table &)> &consume) {
  // A few parser threads read ahead while this thread compiles what they
  // parsed, in order (and parses too when it would wait); at most
  // `lookahead` parsed chunks wait, which bounds the memory of TOML trees in
  // flight.
  struct Parsed {
    std::optional<toml::table> table;
    std::exception_ptr error;
    size_t owner = 0; // the thread that parsed it: 0 is this one, 1... the parsers
  };
  std::vector<Parsed> parsed(segs.size());
  std::vector<bool> ready(segs.size(), false);
  std::mutex mu;
  std::condition_variable cv;
  size_t next = 1, consumed = 1;
  bool stop = false;
  const unsigned cores = std::max(2u, std::thread::hardware_concurrency());
  const size_t lookahead = cores;
  // Compiled trees, by the thread that parsed them: each parser frees its
  // own, into the malloc arena they came from (freeing another thread's
  // memory takes that arena's lock, against the parser allocating in it).
  std::vector<std::vector<toml::table>> spent(cores);
  // Parses segment i, with `lock` released meanwhile.
  auto parse_one = [&](size_t i, size_t owner, std::unique_lock<std::mutex> &lock) {
    lock.unlock();
    Parsed out;
    out.owner = owner;
    try {
      out.table = parse(segs[i]);
    } catch (...) {
      out.error = std::current_exception();
    }
    lock.lock();
    parsed[i] = std::move(out);
    ready[i] = true;
    cv.notify_all();
  };
  auto can_take = [&] { return next < segs.size() && next < consumed + lookahead; };
  auto parser = [&](size_t self) {
    std::unique_lock lock(mu);
    for (;;) {
      cv.wait(lock, [&] { return stop || can_take() || !spent[self].empty(); });
      if (!spent[self].empty()) {
        std::vector<toml::table> trees = std::move(spent[self]);
        spent[self].clear();
        lock.unlock();
        trees.clear();
        lock.lock();
      } else if (stop) {
        return;
      } else {
        parse_one(next++, self, lock);
      }
    }
  };
  std::vector<std::thread> parsers;
  for (unsigned t = 0; t + 1 < cores && t < segs.size() - 1; ++t)
    parsers.emplace_back(parser, t + 1);
  struct Join {
    std::vector<std::thread> &threads;
    std::mutex &mu;
    std::condition_variable &cv;
    bool &stop;
    ~Join() {
      {
        std::lock_guard lock(mu);
        stop = true;
      }
      cv.notify_all();
      for (auto &t : threads)
        t.join();
    }
  } join{parsers, mu, cv, stop};
  for (size_t i = 1; i < segs.size(); ++i) {
    Parsed got;
    {
      std::unique_lock lock(mu);
      while (!ready[i]) {
        // Rather than wait for the parsers, take a share of their work:
        // parsing costs about as much as compiling, and on two cores one
        // parser thread alone would leave this thread idle half the time.
        if (can_take())
          parse_one(next++, 0, lock);
        else
          cv.wait(lock);
      }
      got = std::move(parsed[i]);
      consumed = i + 1;
    }
    cv.notify_all();
    if (got.error)
      std::rethrow_exception(got.error);
    consume(i, *got.table);
    if (got.owner != 0) {
      std::lock_guard lock(mu);
      spent[got.owner].push_back(std::move(*got.table));
    }
    cv.notify_all();
  }
}

} // namespace seam
