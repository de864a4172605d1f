// Chrome trace-event JSON and the SVG plot (declared in reports.h).
#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>
#include <iomanip>
#include <sstream>

#include "scenarios/reports.h"
#include "backend/units.h"

namespace bitsh::scenarios {
namespace {

using nlohmann::json;

double Micros(Duration at) { return std::chrono::duration<double, std::micro>(at).count(); }

// Per job, the bytes it had after each progress event: (time, total bytes over its files).
std::map<std::string, std::vector<std::pair<Duration, std::uint64_t>>> BytesOverTime(const ScenarioResult& result) {
  std::map<std::string, std::map<int, std::uint64_t>> per_file;
  std::map<std::string, std::vector<std::pair<Duration, std::uint64_t>>> series;
  for (const fake::LogEvent& event : result.events) {
    if (event.kind != "progress" && event.kind != "changed") continue;
    int file = 0;
    unsigned long long bytes = 0;
    if (event.kind == "progress" && std::sscanf(event.detail.c_str(), "#%d %llu/", &file, &bytes) != 2) continue;
    if (event.kind == "changed" && std::sscanf(event.detail.c_str(), "#%d", &file) != 1) continue;
    per_file[event.job][file] = event.kind == "changed" ? 0 : bytes;
    std::uint64_t total = 0;
    for (const auto& [index, count] : per_file[event.job]) total += count;
    series[event.job].emplace_back(event.at, total);
  }
  return series;
}

std::string ScenarioJobName(const ScenarioResult& result, const std::string& job) {
  for (const auto& [id, bits_id] : result.jobs) {
    if (bits_id == job) return id;
  }
  return job;
}

}  // namespace

std::string ChromeTraceJson(const std::vector<ScenarioResult>& results) {
  json events = json::array();
  for (std::size_t pid = 0; pid < results.size(); ++pid) {
    const ScenarioResult& result = results[pid];
    events.push_back({{"ph", "M"}, {"pid", pid}, {"name", "process_name"}, {"args", {{"name", result.name}}}});
    events.push_back({{"ph", "M"}, {"pid", pid}, {"tid", 0}, {"name", "thread_name"}, {"args", {{"name", "network"}}}});
    std::map<std::string, int> tids;
    for (const auto& [id, bits_id] : result.jobs) {
      const int tid = static_cast<int>(tids.size()) + 1;
      tids[bits_id] = tid;
      events.push_back({{"ph", "M"}, {"pid", pid}, {"tid", tid}, {"name", "thread_name"}, {"args", {{"name", "job " + id}}}});
    }
    std::map<std::string, std::pair<Duration, std::string>> open_state;  // job -> (since, state)
    Duration outage_start = Duration::zero();
    bool network_down = false;
    for (const fake::LogEvent& event : result.events) {
      const auto tid = tids.find(event.job);
      if (event.state && tid != tids.end()) {
        if (auto open = open_state.find(event.job); open != open_state.end()) {
          events.push_back({{"ph", "X"}, {"pid", pid}, {"tid", tid->second}, {"name", open->second.second},
                            {"ts", Micros(open->second.first)}, {"dur", Micros(event.at - open->second.first)}});
        }
        open_state[event.job] = {event.at, std::string(ToString(*event.state))};
      } else if (event.kind == "error" && tid != tids.end()) {
        const bool injected = event.detail.find("[injected]") != std::string::npos;
        events.push_back({{"ph", "i"}, {"s", "t"}, {"pid", pid}, {"tid", tid->second}, {"ts", Micros(event.at)},
                          {"name", injected ? "injected fault" : "error"}, {"args", {{"detail", event.detail}}}});
      } else if (event.kind == "network") {
        if (event.detail == "down") {
          outage_start = event.at;
          network_down = true;
        }
        if (event.detail == "up" && network_down) {
          events.push_back({{"ph", "X"}, {"pid", pid}, {"tid", 0}, {"name", "network down"}, {"ts", Micros(outage_start)},
                            {"dur", Micros(event.at - outage_start)}});
          network_down = false;
        }
        if (event.detail != "down" && event.detail != "up") {
          events.push_back({{"ph", "i"}, {"s", "p"}, {"pid", pid}, {"tid", 0}, {"ts", Micros(event.at)}, {"name", event.detail}});
        }
      }
    }
    for (const auto& [job, open] : open_state) {  // the last state lasts until the end
      events.push_back({{"ph", "X"}, {"pid", pid}, {"tid", tids[job]}, {"name", open.second}, {"ts", Micros(open.first)},
                        {"dur", Micros(result.virtual_time - open.first)}});
    }
    for (const auto& [job, points] : BytesOverTime(result)) {
      for (const auto& [at, bytes] : points) {
        events.push_back({{"ph", "C"}, {"pid", pid}, {"ts", Micros(at)}, {"name", "bytes " + ScenarioJobName(result, job)},
                          {"args", {{"bytes", bytes}}}});
      }
    }
  }
  return json{{"traceEvents", events}, {"displayTimeUnit", "ms"}}.dump(1) + "\n";
}

namespace {

// "1.5 MiB", "512 KiB", "900 B": the y axis's top, short enough for the margin.
std::string HumanBytes(std::uint64_t bytes) {
  static const char* const kUnits[] = {"B", "KiB", "MiB", "GiB", "TiB"};
  double value = static_cast<double>(bytes);
  int unit = 0;
  while (value >= 1024 && unit < 4) {
    value /= 1024;
    ++unit;
  }
  std::ostringstream text;
  text << std::setprecision(value < 10 && unit > 0 ? 2 : 4) << value << " " << kUnits[unit];
  return text.str();
}

// What happened on the machine, for the plot's marks: logons and logoffs, service restarts,
// policy and network changes (other than outages and drops, drawn on their own).
bool IsMachineMark(const fake::LogEvent& event) {
  if (event.kind == "user" || event.kind == "service" || event.kind == "policy") return true;
  return event.kind == "network" && event.detail != "down" && event.detail != "up" && event.detail != "connections dropped";
}

}  // namespace

std::string SvgPlot(const std::vector<ScenarioResult>& results) {
  constexpr int kWidth = 960, kPanel = 280, kLeft = 80, kRight = 30, kTicks = 4;
  constexpr int kLegendPerRow = 7;
  static const char* const kColors[] = {"#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f"};
  std::ostringstream svg;
  const int height = static_cast<int>(results.size()) * kPanel + 20;
  svg << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" << kWidth
      << "\" height=\"" << height << "\" font-family=\"sans-serif\" font-size=\"11\">\n";
  for (std::size_t panel = 0; panel < results.size(); ++panel) {
    const ScenarioResult& result = results[panel];
    const double top = static_cast<double>(panel) * kPanel + 20, plot_height = kPanel - 80.0;
    const double plot_width = kWidth - static_cast<double>(kLeft + kRight);
    const double span = std::max(1e-9, std::chrono::duration<double>(result.virtual_time).count());
    const auto x = [&](Duration at) { return kLeft + plot_width * std::chrono::duration<double>(at).count() / span; };
    const auto series = BytesOverTime(result);
    std::uint64_t most = 1;
    for (const auto& [job, points] : series) {
      for (const auto& point : points) most = std::max(most, point.second);
    }
    const auto y = [&](std::uint64_t bytes) { return top + plot_height * (1.0 - static_cast<double>(bytes) / static_cast<double>(most)); };
    svg << "  <g>\n    <text x=\"" << kLeft << "\" y=\"" << top - 5 << "\" font-weight=\"bold\">" << XmlEscape(result.name)
        << " (bytes per job over " << HumanDuration(result.virtual_time) << " of virtual time)</text>\n";
    Duration down_since = Duration::zero();
    bool down = false;
    for (const fake::LogEvent& event : result.events) {  // outages shaded, drops as red lines, the rest as marks
      if (IsMachineMark(event)) {
        svg << "    <line x1=\"" << x(event.at) << "\" x2=\"" << x(event.at) << "\" y1=\"" << top << "\" y2=\""
            << top + plot_height << "\" stroke=\"#555555\" stroke-dasharray=\"1 3\"><title>" << XmlEscape(event.kind) << ": "
            << XmlEscape(event.detail) << "</title></line>\n";
      }
      if (event.kind != "network") continue;
      if (event.detail == "down") {
        down_since = event.at;
        down = true;
      }
      if (event.detail == "up" && down) {
        svg << "    <rect x=\"" << x(down_since) << "\" y=\"" << top << "\" width=\"" << x(event.at) - x(down_since)
            << "\" height=\"" << plot_height << "\" fill=\"#cccccc\" fill-opacity=\"0.6\"><title>network down</title></rect>\n";
        down = false;
      }
      if (event.detail == "connections dropped") {
        svg << "    <line x1=\"" << x(event.at) << "\" x2=\"" << x(event.at) << "\" y1=\"" << top << "\" y2=\""
            << top + plot_height << "\" stroke=\"#d62728\" stroke-dasharray=\"4 2\"><title>drop</title></line>\n";
      }
    }
    svg << "    <rect x=\"" << kLeft << "\" y=\"" << top << "\" width=\"" << plot_width << "\" height=\"" << plot_height
        << "\" fill=\"none\" stroke=\"#333333\"/>\n";
    // Axes: bytes at the top and bottom of the left edge, virtual time under the plot.
    svg << "    <text x=\"" << kLeft - 5 << "\" y=\"" << top + 10 << "\" text-anchor=\"end\">" << HumanBytes(most) << "</text>\n"
        << "    <text x=\"" << kLeft - 5 << "\" y=\"" << top + plot_height << "\" text-anchor=\"end\">0</text>\n";
    for (int tick = 0; tick <= kTicks; ++tick) {
      const Duration at = std::chrono::duration_cast<Duration>(result.virtual_time * tick / kTicks);
      svg << "    <line x1=\"" << x(at) << "\" x2=\"" << x(at) << "\" y1=\"" << top + plot_height << "\" y2=\""
          << top + plot_height + 4 << "\" stroke=\"#333333\"/>\n"
          << "    <text x=\"" << x(at) << "\" y=\"" << top + plot_height + 16 << "\" text-anchor=\""
          << (tick == 0 ? "start" : tick == kTicks ? "end" : "middle") << "\">" << (tick == 0 ? "0" : HumanDuration(at))
          << "</text>\n";
    }
    // One line per job, in the scenario's order (the legend too), then any job the scenario did not
    // create (a program under test's, through RunHooks) by its GUID; each with its errors marked.
    std::vector<std::pair<std::string, std::string>> jobs = result.jobs;
    for (const auto& entry : series) {  // not a structured binding: clang 14 cannot capture one
      const std::string& bits_id = entry.first;
      if (std::ranges::none_of(jobs, [&](const auto& job) { return job.second == bits_id; })) jobs.emplace_back(bits_id, bits_id);
    }
    int color = 0;
    for (const auto& [name, bits_id] : jobs) {
      const char* stroke = kColors[color++ % 8];
      const auto found = series.find(bits_id);
      const std::vector<std::pair<Duration, std::uint64_t>> points =
          found == series.end() ? std::vector<std::pair<Duration, std::uint64_t>>{} : found->second;
      svg << "    <polyline fill=\"none\" stroke=\"" << stroke << "\" stroke-width=\"1.5\" points=\"" << x(Duration::zero())
          << "," << y(0);
      for (const auto& [at, bytes] : points) svg << " " << x(at) << "," << y(bytes);
      svg << "\"><title>" << XmlEscape(name) << "</title></polyline>\n";
      for (const fake::LogEvent& event : result.events) {
        if (event.job != bits_id || event.kind != "error") continue;
        std::uint64_t bytes = 0;  // where the job's line is at that moment
        for (const auto& [at, count] : points) {
          if (at <= event.at) bytes = count;
        }
        const bool injected = event.detail.find("[injected]") != std::string::npos;
        svg << "    <circle cx=\"" << x(event.at) << "\" cy=\"" << y(bytes) << "\" r=\"3\" fill=\"" << stroke << "\"><title>"
            << (injected ? "injected fault: " : "error: ") << XmlEscape(event.detail) << "</title></circle>\n";
      }
      // The legend: two rows of seven under the plot, then a count of the rest.
      const int slot = color - 1;
      if (slot < 2 * kLegendPerRow) {
        svg << "    <text x=\"" << kLeft + 5 + 120 * (slot % kLegendPerRow) << "\" y=\"" << top + plot_height + 34 + 14 * (slot / kLegendPerRow)
            << "\" fill=\"" << stroke << "\">" << XmlEscape(name) << "</text>\n";
      }
    }
    if (const int rest = static_cast<int>(jobs.size()) - 2 * kLegendPerRow; rest > 0) {
      svg << "    <text x=\"" << kLeft + 5 << "\" y=\"" << top + plot_height + 62 << "\">and " << rest
          << " more jobs (hover over a line for its name)</text>\n";
    }
    svg << "  </g>\n";
  }
  svg << "</svg>\n";
  return svg.str();
}

}  // namespace bitsh::scenarios
