// Compiler-style errors: location, source line, caret, hint; and the edit
// distance behind "did you mean".
#include "seam/core/base/diagnostics.hpp"

#include "test_support.hpp"

#include <gtest/gtest.h>

namespace seam {
namespace {

const auto kFile = test::source("suites/orders.toml", "[suite]\n"
                                                      "name = \"orders\"\n"
                                                      "\n"
                                                      "[[test]]\n"
                                                      "nmae = \"x\"\n");

TEST(SourceFile, Lines) {
  EXPECT_EQ(kFile->line(1), "[suite]");
  EXPECT_EQ(kFile->line(2), "name = \"orders\"");
  EXPECT_EQ(kFile->line(3), "");
  EXPECT_EQ(kFile->line(5), "nmae = \"x\"");
  EXPECT_EQ(kFile->line(6), ""); // after the final newline
  EXPECT_EQ(kFile->line(7), "");
  EXPECT_EQ(kFile->line(0), "");
}

TEST(SourceFile, CarriageReturnsAreDropped) {
  auto f = test::source("w.toml", "a = 1\r\nb = 2\r\n");
  EXPECT_EQ(f->line(1), "a = 1");
  EXPECT_EQ(f->line(2), "b = 2");
}

TEST(SourceLoc, Str) {
  EXPECT_EQ((SourceLoc{kFile, 5, 1}).str(), "suites/orders.toml:5:1");
  EXPECT_EQ((SourceLoc{kFile, 5, 0}).str(), "suites/orders.toml:5");
  EXPECT_EQ((SourceLoc{kFile, 0, 0}).str(), "suites/orders.toml");
  EXPECT_EQ(SourceLoc{}.str(), "");
  EXPECT_EQ((SourceLoc{nullptr, 3, 4}).str(), ":3:4");
  SourceLoc l{kFile, 2, 8};
  EXPECT_EQ(l.shifted(3).col, 11u);
  EXPECT_EQ(l.shifted(3).line, 2u);
  EXPECT_EQ(l.shifted(3).file, kFile);
}

TEST(Diagnostic, RenderShowsLocationLineCaretAndHint) {
  Diagnostic d{{kFile, 5, 1}, "unknown key 'nmae' in a test", "did you mean 'name'?"};
  EXPECT_EQ(d.render(), "suites/orders.toml:5:1: error: unknown key 'nmae' in a test\n"
                        " 5 | nmae = \"x\"\n"
                        "   | ^\n"
                        "  hint: did you mean 'name'?\n");
}

TEST(Diagnostic, CaretUnderTheColumn) {
  Diagnostic d{{kFile, 2, 8}, "bad value", ""};
  EXPECT_EQ(d.render(), "suites/orders.toml:2:8: error: bad value\n"
                        " 2 | name = \"orders\"\n"
                        "   |        ^\n");
}

TEST(Diagnostic, CaretWithTabsKeepsTheTabs) {
  auto f = test::source("t.toml", "x = 1\n\tkey =\t\"v\"\n");
  Diagnostic d{{f, 2, 8}, "m", ""};
  EXPECT_EQ(d.render(), "t.toml:2:8: error: m\n"
                        " 2 | \tkey =\t\"v\"\n"
                        "   | \t     \t^\n");
}

TEST(Diagnostic, WideLineNumbersPadTheGutter) {
  std::string text;
  for (int i = 1; i <= 120; ++i)
    text += "line" + std::to_string(i) + "\n";
  auto f = test::source("big.toml", text);
  Diagnostic d{{f, 105, 3}, "m", ""};
  EXPECT_EQ(d.render(), "big.toml:105:3: error: m\n"
                        " 105 | line105\n"
                        "     |   ^\n");
}

TEST(Diagnostic, ColumnPastTheEndOfTheLine) {
  auto f = test::source("e.toml", "ab\n");
  Diagnostic d{{f, 1, 9}, "m", ""};
  // The caret stops right after the text rather than floating in space.
  EXPECT_EQ(d.render(), "e.toml:1:9: error: m\n"
                        " 1 | ab\n"
                        "   |   ^\n");
}

TEST(Diagnostic, NoColumnNoCaret) {
  Diagnostic d{{kFile, 1, 0}, "m", "h"};
  EXPECT_EQ(d.render(), "suites/orders.toml:1: error: m\n"
                        " 1 | [suite]\n"
                        "  hint: h\n");
}

TEST(Diagnostic, NoLocation) {
  Diagnostic d{{}, "cannot read suite file: No such file or directory", ""};
  EXPECT_EQ(d.render(), "error: cannot read suite file: No such file or directory\n");
  Diagnostic path_only{{kFile, 0, 0}, "m", ""};
  EXPECT_EQ(path_only.render(), "suites/orders.toml: error: m\n");
}

TEST(Diagnostic, EmptySourceLineIsNotShown) {
  Diagnostic d{{kFile, 3, 1}, "m", ""};
  EXPECT_EQ(d.render(), "suites/orders.toml:3:1: error: m\n");
}

TEST(Diagnostic, ColorWrapsPartsInAnsiCodes) {
  Diagnostic d{{kFile, 5, 1}, "msg", "hint text"};
  std::string out = d.render(true);
  EXPECT_NE(out.find("\x1b[1;31merror: \x1b[0m"), std::string::npos) << out;
  EXPECT_NE(out.find("\x1b[36m^\x1b[0m"), std::string::npos) << out;
  EXPECT_NE(out.find("\x1b[36mhint: \x1b[0mhint text"), std::string::npos) << out;
  EXPECT_EQ(d.render(false).find('\x1b'), std::string::npos);
}

TEST(SuiteErrors, WhatIsTheFirstDiagnostic) {
  SuiteErrors e({{{kFile, 5, 1}, "first", ""}, {{kFile, 2, 1}, "second", ""}});
  EXPECT_STREQ(e.what(), "suites/orders.toml:5:1: first");
  EXPECT_EQ(e.diagnostics().size(), 2u);
  SuiteErrors none({});
  EXPECT_STREQ(none.what(), "suite errors");
  SuiteErrors noloc({{{}, "only message", ""}});
  EXPECT_STREQ(noloc.what(), "only message");
}

TEST(EditDistance, Basics) {
  EXPECT_EQ(edit_distance("", ""), 0u);
  EXPECT_EQ(edit_distance("abc", ""), 3u);
  EXPECT_EQ(edit_distance("", "abc"), 3u);
  EXPECT_EQ(edit_distance("name", "name"), 0u);
  EXPECT_EQ(edit_distance("nmae", "name"), 2u); // a swap is two edits
  EXPECT_EQ(edit_distance("kitten", "sitting"), 3u);
  EXPECT_EQ(edit_distance("matchs", "matches"), 1u);
  EXPECT_EQ(edit_distance("flaw", "lawn"), 2u);
  EXPECT_EQ(edit_distance("abc", "abd"), edit_distance("abd", "abc"));
}

TEST(Closest, PicksTheNearestCloseEnoughCandidate) {
  std::vector<std::string> keys{"name", "use", "on", "with", "expect", "save", "timeout", "retry"};
  EXPECT_EQ(closest("nmae", keys), "name");
  EXPECT_EQ(closest("expcet", keys), "expect");
  EXPECT_EQ(closest("tiemout", keys), "timeout");
  EXPECT_EQ(closest("wiht", keys), "with");
  EXPECT_EQ(closest("retyr", keys), "retry");
  EXPECT_EQ(closest("completely_different", keys), "");
  EXPECT_EQ(closest("x", {}), "");
  // Equally close: the first candidate wins.
  EXPECT_EQ(closest("ab", {"ax", "xb"}), "ax");
  // The nearest wins over an earlier, farther one.
  EXPECT_EQ(closest("steps", {"setup", "step"}), "step");
}

TEST(Closest, LongWordsAllowMoreEdits) {
  // Up to a third of the word's length (at least 2).
  EXPECT_EQ(closest("step_tiemoutt", {"step_timeout"}), "step_timeout");
  EXPECT_EQ(closest("abcdef", {"uvwdef"}), "");
}

} // namespace
} // namespace seam
