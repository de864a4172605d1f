#include "server/control_protocol.h"

#include <charconv>
#include <functional>
#include <vector>

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

template <typename T>
Field<T> TextField(const char* name, std::string T::*member) {
  return {name, [member](T& value, const std::string& text) {
            value.*member = text;
            return Status::Ok();
          }};
}

}  // namespace

ControlParams EncodeGeneratedFile(const GeneratedFileSpec& file) {
  return {{"path", file.path}, {"size", std::to_string(file.size)}, {"seed", std::to_string(file.seed)}};
}

Result<GeneratedFileSpec> DecodeGeneratedFile(const ControlParams& params) {
  static const std::vector<Field<GeneratedFileSpec>> fields = {
      TextField("path", &GeneratedFileSpec::path),
      NumberField("size", &GeneratedFileSpec::size),
      NumberField("seed", &GeneratedFileSpec::seed),
  };
  return Decode(params, fields, {"path", "size", "seed"});
}

ControlParams EncodeFault(const ServerFault& fault) {
  const ServerFault defaults;
  ControlParams params{{"path", fault.path}, {"kind", std::string(ToString(fault.kind))}};
  const auto put = [&params](const char* name, auto value, auto default_value) {
    if (value != default_value) params[name] = std::to_string(value);
  };
  put("request_number", fault.request_number, defaults.request_number);
  put("after_bytes", fault.after_bytes, defaults.after_bytes);
  put("status", fault.status, defaults.status);
  put("retry_after_s", fault.retry_after_s, defaults.retry_after_s);
  put("stall_ms", fault.stall.count(), defaults.stall.count());
  put("redirect_status", fault.redirect_status, defaults.redirect_status);
  put("new_size", fault.new_size, defaults.new_size);
  put("new_seed", fault.new_seed, defaults.new_seed);
  if (!fault.redirect_to.empty()) params["redirect_to"] = fault.redirect_to;
  if (!fault.required_header.empty()) params["required_header"] = fault.required_header;
  if (!fault.basic_credentials.empty()) params["basic_credentials"] = fault.basic_credentials;
  if (!fault.method.empty()) params["method"] = fault.method;
  put("corrupt_offset", fault.corrupt_offset, defaults.corrupt_offset);
  put("corrupt_length", fault.corrupt_length, defaults.corrupt_length);
  put("every", fault.every, defaults.every);
  put("draw_seed", fault.draw_seed, defaults.draw_seed);
  if (fault.probability != defaults.probability) {
    char text[32];
    const auto written = std::to_chars(text, text + sizeof text, fault.probability);  // shortest exact form
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
         if (!kind) return Status::InvalidArg("control parameter 'kind': '" + text + "' is not a fault kind");
         fault.kind = *kind;
         return Status::Ok();
       }},
      NumberField("request_number", &ServerFault::request_number),
      {"method",
       [](ServerFault& fault, const std::string& text) {
         if (text != "GET" && text != "HEAD") {
           return Status::InvalidArg("control parameter 'method': '" + text + "' is not GET or HEAD");
         }
         fault.method = text;
         return Status::Ok();
       }},
      NumberField("after_bytes", &ServerFault::after_bytes),
      NumberField("status", &ServerFault::status),
      NumberField("retry_after_s", &ServerFault::retry_after_s),
      {"stall_ms",
       [](ServerFault& fault, const std::string& text) {
         std::int64_t ms = 0;
         Status read = ReadNumber("stall_ms", text, ms);
         fault.stall = std::chrono::milliseconds(ms);
         return read;
       }},
      TextField("redirect_to", &ServerFault::redirect_to),
      NumberField("redirect_status", &ServerFault::redirect_status),
      NumberField("new_size", &ServerFault::new_size),
      NumberField("new_seed", &ServerFault::new_seed),
      TextField("required_header", &ServerFault::required_header),
      TextField("basic_credentials", &ServerFault::basic_credentials),
      NumberField("corrupt_offset", &ServerFault::corrupt_offset),
      NumberField("corrupt_length", &ServerFault::corrupt_length),
      NumberField("every", &ServerFault::every),
      NumberField("draw_seed", &ServerFault::draw_seed),
      {"probability",
       [](ServerFault& fault, const std::string& text) {
         const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), fault.probability);
         if (error != std::errc() || end != text.data() + text.size() || text.empty() || !(fault.probability > 0) ||
             fault.probability > 1) {
           return Status::InvalidArg("control parameter 'probability': '" + text + "' is not a number in (0, 1]");
         }
         return Status::Ok();
       }},
  };
  return Decode(params, fields, {"path", "kind"});
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
