// Loading a purchase manifest (YAML), with every error as file:line:column.
#include <fstream>
#include <sstream>

#include "certification/certification.h"

namespace bitsh::certification {

ManifestResult LoadManifest(const std::filesystem::path& path) {
  ManifestResult result;
  scenarios::YamlReader in(path.string());
  std::ifstream file(path, std::ios::binary);
  if (!file) {
    result.errors.push_back({scenarios::SourceLocation{path.string(), 0, 0}, "cannot read the file"});
    return result;
  }
  std::ostringstream text;
  text << file.rdbuf();
  YAML::Node root;
  try {
    root = YAML::Load(text.str());
  } catch (const YAML::ParserException& error) {
    result.errors.push_back({scenarios::SourceLocation{path.string(), error.mark.line + 1, error.mark.column + 1}, error.msg});
    return result;
  }
  Manifest manifest;
  if (in.Map(root, "the manifest", {"store_key", "service_id", "tracks"})) {
    if (!root["store_key"] || !root["service_id"] || !root["tracks"]) in.Error(root, "a manifest needs store_key, service_id and tracks");
    if (root["store_key"]) manifest.store_key = in.String(root["store_key"], "store_key").value_or("");
    if (root["service_id"]) {
      const auto id = in.Whole(root["service_id"], "service_id");
      if (id && (*id == 0 || *id > UINT32_MAX)) in.Error(root["service_id"], "service_id must be 1..4294967295");
      manifest.service_id = static_cast<std::uint32_t>(id.value_or(0));
    }
    if (root["tracks"] && in.Sequence(root["tracks"], "tracks")) {
      for (const YAML::Node& item : root["tracks"]) {
        if (!in.Map(item, "a track", {"path", "size", "seed", "file_name", "title", "album", "album_artist",
                                      "track_number", "duration", "rating"})) {
          continue;
        }
        ManifestTrack track;
        const auto text_of = [&](const char* key) { return item[key] ? in.String(item[key], key).value_or("") : std::string(); };
        track.path = text_of("path");
        if (track.path.empty() || track.path.front() != '/' || !item["size"]) in.Error(item, "a track needs a 'path' starting with '/' and a 'size'");
        if (item["size"]) track.size = in.Size(item["size"], "size").value_or(0);
        track.seed = item["seed"] ? in.Whole(item["seed"], "seed").value_or(0) : manifest.tracks.size() + 1;
        track.track.file_name = item["file_name"] ? text_of("file_name") : track.path.substr(track.path.rfind('/') + 1);
        track.track.title = text_of("title");
        track.track.album = text_of("album");
        track.track.album_artist = text_of("album_artist");
        track.track.track_number = text_of("track_number");
        track.track.duration = text_of("duration");
        track.track.rating = text_of("rating");
        manifest.tracks.push_back(std::move(track));
      }
    }
  }
  result.errors = in.TakeErrors();
  if (result.errors.empty()) result.manifest = std::move(manifest);
  return result;
}

}  // namespace bitsh::certification
