// A features::Handler that echoes what each operation received, for the tests of
// specs/features.yaml over HTTP (the server's e2e test and the client's round trip).
#pragma once

#include <cstddef>

#include "features/server.hpp"

/// Echoes what it received; the test checks it against what it sent. `alternative` is the index of
/// the oneOf alternative the last body decoded to.
class Echo : public features::Handler {
 public:
  features::PathStylesResult path_styles(const features::PathStylesRequest& r, oasgen::Context&) override {
    return features::PathStylesOk{
        {{"simple", r.simple}, {"label", r.label}, {"matrix", r.matrix}, {"exploded", r.exploded}}};
  }
  features::QueryStylesResult query_styles(const features::QueryStylesRequest& r, oasgen::Context&) override {
    return features::QueryStylesOk{{{"form", r.form},
                                    {"repeated", r.repeated},
                                    {"spaced", r.spaced},
                                    {"piped", r.piped},
                                    {"deep", r.deep},
                                    {"flat", r.flat},
                                    {"count", r.count}}};
  }
  features::HeaderCookieStylesResult header_cookie_styles(
      const features::HeaderCookieStylesRequest& r, oasgen::Context&) override {
    return features::HeaderCookieStylesOk{
        {{"ids", r.x_ids}, {"color", r.x_color}, {"session", r.session}, {"tags", r.tags}}};
  }
  features::AddPetResult add_pet(const features::AddPetRequest& r, oasgen::Context&) override {
    alternative = r.body.value.index();
    return features::AddPetOk{r.body};
  }
  features::AddShapeResult add_shape(const features::AddShapeRequest& r, oasgen::Context&) override {
    alternative = r.body.value.index();
    return features::AddShapeOk{r.body};
  }
  features::AddValueResult add_value(const features::AddValueRequest& r, oasgen::Context&) override {
    alternative = r.body.value.index();
    return features::AddValueOk{r.body};
  }
  features::SubmitFormResult submit_form(const features::SubmitFormRequest& r, oasgen::Context&) override {
    nlohmann::json echo = r.body;
    if (r.body.avatar) {
      echo["avatar"] = {{"size", r.body.avatar->data.size()},
                        {"filename", r.body.avatar->filename},
                        {"content_type", r.body.avatar->content_type}};
    }
    return features::SubmitFormOk{echo};
  }
  features::UploadResult upload(const features::UploadRequest& r, oasgen::Context&) override {
    return features::UploadOk{{{"media_type", r.body.media_type}, {"data", r.body.data}}};
  }

  std::size_t alternative = 99;
};
