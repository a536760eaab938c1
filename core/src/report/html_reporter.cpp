// The HTML report: one self-contained page (no network: its CSS and script
// are inline, it works from file://). The run is embedded as JSON in a
// <script type="application/json"> and the page's script builds the DOM for
// what is shown and expanded only, so that a run of ten thousand tests
// loads as fast as a small one. The page itself lives in report_page/
// (report.html, .css, .js), embedded at build time.
#include "json_reporter.hpp"

#include "report_page.inc" // kReportPage: report.html with its CSS and script inline

#include <string_view>

namespace seam {

namespace {

constexpr std::string_view kDataSlot =
    "<script type=\"application/json\" id=\"seam-data\">null</script>";

// JSON inside <script>: a `<` only ever occurs in a string, where \u003c
// means the same; so neither `</script>` nor `<!--` can end or change the
// script element.
std::string script_json(const json &doc) {
  std::string text = doc.dump(-1, ' ', false, json::error_handler_t::replace);
  std::string out;
  out.reserve(text.size() + text.size() / 64);
  for (char ch : text) {
    if (ch == '<')
      out += "\\u003c";
    else
      out += ch;
  }
  return out;
}

class HtmlReporter : public JsonDocument {
public:
  explicit HtmlReporter(std::string path) : path_(std::move(path)) {}

  void run_started(const RunInfo &info) override {
    JsonDocument::run_started(info);
    tests_ = info.tests;
  }

  void suite_started(const Suite &s) override {
    JsonDocument::suite_started(s);
    json res = json::array();
    for (const auto &r : s.resources)
      res.push_back({{"name", r.name}, {"plugin", r.plugin}, {"location", r.loc.str()}});
    resources_.push_back(std::move(res));
  }

  bool run_finished(const RunSummary &sum, std::string *error) override {
    json &doc = finish(sum);
    doc["selected_tests"] = tests_;
    auto &suites = doc["suites"];
    for (size_t i = 0; i < suites.size() && i < resources_.size(); ++i)
      suites[i]["resources"] = std::move(resources_[i]);
    std::string_view page = kReportPage;
    size_t slot = page.find(kDataSlot);
    if (slot == std::string_view::npos) {
      if (error)
        *error =
            "cannot write report " + path_ + ": the report page has no data slot (a build error)";
      return false;
    }
    std::string data = script_json(doc);
    std::string html;
    html.reserve(page.size() + data.size() + 64);
    html.append(page.substr(0, slot));
    html += "<script type=\"application/json\" id=\"seam-data\">";
    html += data;
    html += "</script>";
    html.append(page.substr(slot + kDataSlot.size()));
    return write_file_atomic(path_, html, error);
  }

private:
  std::string path_;
  size_t tests_ = 0;
  std::vector<json> resources_; // per suite, in the order they ran
};

} // namespace

std::unique_ptr<Reporter> make_html_reporter(std::string path) {
  return std::make_unique<HtmlReporter>(std::move(path));
}

} // namespace seam
