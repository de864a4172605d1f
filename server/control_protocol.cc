#include "server/control_protocol.h"

#include <charconv>
#include <functional>
#include <type_traits>
#include <vector>

#include "backend/units.h"
#include "content/hashing.h"

namespace bitsh::server {
namespace {

// One parameter of a control call: its name and how it is read into the value being decoded.
template <typename T>
struct Field {
  const char* name;
  std::function<Status(T&, const std::string&)> read;
};

template <typename Number>
Status ReadNumber(const char* name, const std::string& text, Number& out) {
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), out);
  if (error != std::errc() || end != text.data() + text.size() || text.empty()) {
    return Status::InvalidArg("control parameter '" + std::string(name) + "': '" + text + "' is not a whole number");
  }
  return Status::Ok();
}

// Reads every parameter through its Field; unknown names and missing `required` ones are errors.
template <typename T>
Result<T> Decode(const ControlParams& params, const std::vector<Field<T>>& fields,
                 const std::vector<std::string>& required) {
  for (const std::string& name : required) {
    if (!params.contains(name)) return Status::InvalidArg("control parameter '" + name + "' is missing");
  }
  T value{};  // default member initializers: a ServerFault starts as "off"
  for (const auto& [name, text] : params) {
    const Field<T>* field = nullptr;
    for (const Field<T>& candidate : fields) {
      if (name == candidate.name) field = &candidate;
    }
    if (field == nullptr) return Status::InvalidArg("control parameter '" + name + "' is unknown");
    if (Status read = field->read(value, text); !read.ok()) return read;
  }
  return value;
}

template <typename T, typename Number>
Field<T> NumberField(const char* name, Number T::*member) {
  return {name, [name, member](T& value, const std::string& text) { return ReadNumber(name, text, value.*member); }};
}

// A size as scenario files write it: "1048576", "1MiB", "1.5 MB".
template <typename T>
Field<T> SizeField(const char* name, std::uint64_t T::*member) {
  return {name, [name, member](T& value, const std::string& text) {
            const std::optional<std::uint64_t> size = ParseSize(text);
            if (!size) {
              return Status::InvalidArg("control parameter '" + std::string(name) + "': '" + text +
                                        "' is not a size (1048576, 1MiB, 1.5 MB)");
            }
            value.*member = *size;
            return Status::Ok();
          }};
}

template <typename T>
Field<T> TextField(const char* name, std::string T::*member) {
  return {name, [member](T& value, const std::string& text) {
            value.*member = text;
            return Status::Ok();
          }};
}

// A duration as scenario files write it ("1500ms", "30s", "2min"), in whole `Unit`s.
template <typename Unit>
Status ReadDuration(const char* name, const std::string& text, Unit& out) {
  const std::optional<Duration> duration = ParseDuration(text);
  const std::string unit = std::is_same_v<Unit, std::chrono::seconds> ? "seconds" : "milliseconds";
  if (!duration) return Status::InvalidArg("control parameter '" + std::string(name) + "': '" + text + "' is not a duration (1500ms, 30s, 2min)");
  out = std::chrono::duration_cast<Unit>(*duration);
  if (Duration(out) != *duration) {
    return Status::InvalidArg("control parameter '" + std::string(name) + "': '" + text + "' is not whole " + unit);
  }
  return Status::Ok();
}

}  // namespace

ControlParams EncodeGeneratedFile(const GeneratedFileSpec& file) {
  return {{"path", file.path}, {"size", std::to_string(file.size)}, {"seed", std::to_string(file.seed)}};
}

Result<GeneratedFileSpec> DecodeGeneratedFile(const ControlParams& params) {
  static const std::vector<Field<GeneratedFileSpec>> fields = {
      TextField("path", &GeneratedFileSpec::path),
      SizeField("size", &GeneratedFileSpec::size),
      NumberField("seed", &GeneratedFileSpec::seed),
  };
  Result<GeneratedFileSpec> file = Decode(params, fields, {"path", "size"});
  // No seed: the one a scenario (with its default seed, 1) gives a file at that path.
  if (file.ok() && !params.contains("seed")) file.value().seed = content::Fnv1a(file->path) ^ 1;
  return file;
}

ControlParams EncodeFault(const ServerFault& fault) {
  const ServerFault defaults;
  ControlParams params{{"path", fault.path}, {"kind", std::string(ToString(fault.kind))}};
  const auto put = [&params](const char* name, auto value, auto default_value) {
    if (value != default_value) params[name] = std::to_string(value);
  };
  put("request", fault.request_number, defaults.request_number);
  put("after", fault.after_bytes, defaults.after_bytes);
  put("status", fault.status, defaults.status);
  if (fault.retry_after_s >= 0) params["retry_after"] = std::to_string(fault.retry_after_s) + "s";
  if (fault.stall != defaults.stall) params["stall"] = std::to_string(fault.stall.count()) + "ms";
  if (fault.rate_bytes_per_s != defaults.rate_bytes_per_s) params["rate"] = std::to_string(fault.rate_bytes_per_s) + "/s";
  if (fault.close_delay != defaults.close_delay) params["close_delay"] = std::to_string(fault.close_delay.count()) + "ms";
  put("redirect_status", fault.redirect_status, defaults.redirect_status);
  put("new_size", fault.new_size, defaults.new_size);
  put("new_seed", fault.new_seed, defaults.new_seed);
  if (!fault.redirect_to.empty()) params["to"] = fault.redirect_to;
  if (!fault.required_header.empty()) params["header"] = fault.required_header;
  if (!fault.basic_credentials.empty()) params["credentials"] = fault.basic_credentials;
  if (!fault.method.empty()) params["method"] = fault.method;
  put("offset", fault.corrupt_offset, defaults.corrupt_offset);
  put("length", fault.corrupt_length, defaults.corrupt_length);
  put("every", fault.every, defaults.every);
  put("draw_seed", fault.draw_seed, defaults.draw_seed);
  if (fault.probability != defaults.probability) {
    char text[32];
    // Fixed notation, as the probability is read back (0.0001, not 1e-04), in its shortest exact form.
    const auto written = std::to_chars(text, text + sizeof text, fault.probability, std::chars_format::fixed);
    params["probability"] = std::string(text, written.ptr);
  }
  return params;
}

Result<ServerFault> DecodeFault(const ControlParams& params) {
  static const std::vector<Field<ServerFault>> fields = {
      TextField("path", &ServerFault::path),
      {"kind",
       [](ServerFault& fault, const std::string& text) {
         const std::optional<FaultKind> kind = ParseFaultKind(text);
         if (!kind) {
           return Status::InvalidArg("control parameter 'kind': '" + text + "' is not a fault kind (" + FaultKindNames() + ")");
         }
         fault.kind = *kind;
         return Status::Ok();
       }},
      NumberField("request", &ServerFault::request_number),
      {"method",
       [](ServerFault& fault, const std::string& text) {
         if (text != "GET" && text != "HEAD") {
           return Status::InvalidArg("control parameter 'method': '" + text + "' is not GET or HEAD");
         }
         fault.method = text;
         return Status::Ok();
       }},
      SizeField("after", &ServerFault::after_bytes),
      NumberField("status", &ServerFault::status),
      {"retry_after",
       [](ServerFault& fault, const std::string& text) {
         std::chrono::seconds seconds{0};
         Status read = ReadDuration("retry_after", text, seconds);
         if (read.ok() && seconds.count() > INT32_MAX) read = Status::InvalidArg("control parameter 'retry_after': '" + text + "' is too long");
         fault.retry_after_s = static_cast<int>(seconds.count());
         return read;
       }},
      {"stall", [](ServerFault& fault, const std::string& text) { return ReadDuration("stall", text, fault.stall); }},
      {"close_delay",
       [](ServerFault& fault, const std::string& text) { return ReadDuration("close_delay", text, fault.close_delay); }},
      {"rate",
       [](ServerFault& fault, const std::string& text) {
         const std::optional<std::uint64_t> rate = ParseBandwidth(text);
         if (!rate || *rate == 0) {
           return Status::InvalidArg("control parameter 'rate': '" + text + "' is not a rate of at least 1 byte per second (1KiB/s, 8kbit/s)");
         }
         fault.rate_bytes_per_s = *rate;
         return Status::Ok();
       }},
      TextField("to", &ServerFault::redirect_to),
      NumberField("redirect_status", &ServerFault::redirect_status),
      SizeField("new_size", &ServerFault::new_size),
      NumberField("new_seed", &ServerFault::new_seed),
      TextField("header", &ServerFault::required_header),
      TextField("credentials", &ServerFault::basic_credentials),
      SizeField("offset", &ServerFault::corrupt_offset),
      SizeField("length", &ServerFault::corrupt_length),
      NumberField("every", &ServerFault::every),
      NumberField("draw_seed", &ServerFault::draw_seed),
      {"probability",
       [](ServerFault& fault, const std::string& text) {
         const std::optional<double> probability = ParseProbability(text);
         if (!probability) {
           return Status::InvalidArg("control parameter 'probability': '" + text +
                                     "' is not a probability above 0 and at most 1 (0.1, or 10%)");
         }
         fault.probability = *probability;
         return Status::Ok();
       }},
  };
  Result<ServerFault> fault = Decode(params, fields, {"path", "kind"});
  if (fault.ok()) {
    if (Status usable = CheckFault(*fault); !usable.ok()) return Status::InvalidArg("control parameters: " + usable.message());
  }
  // No new_seed: the one a scenario gives a change_file fault at that path.
  if (fault.ok() && fault->kind == FaultKind::kChangeFile && !params.contains("new_seed")) {
    fault.value().new_seed = content::Fnv1a(fault->path) + 1;
  }
  return fault;
}

std::string ToQueryString(const ControlParams& params) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  const auto encode = [](const std::string& text, std::string& out) {
    for (const unsigned char c : text) {
      const bool plain = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
                         c == '_' || c == '.' || c == '~' || c == '/';
      if (plain) {
        out += static_cast<char>(c);
      } else {
        out += '%';
        out += kHex[c >> 4];
        out += kHex[c & 0xF];
      }
    }
  };
  std::string query;
  for (const auto& [name, value] : params) {
    if (!query.empty()) query += '&';
    encode(name, query);
    query += '=';
    encode(value, query);
  }
  return query;
}

}  // namespace bitsh::server
