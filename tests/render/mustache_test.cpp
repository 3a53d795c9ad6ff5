// oasgen's own use of the Mustache engine: strict, no HTML escaping, exact error messages.
#include "render/mustache.hpp"

#include <doctest/doctest.h>

#include <map>
#include <optional>
#include <string>

#include "render/view_json.hpp"

namespace {

using nlohmann::json;
using oasgen::render::MustacheError;
using oasgen::render::MustacheOptions;
using oasgen::render::PartialLoader;
using oasgen::render::render_mustache;

PartialLoader partials(std::map<std::string, std::string> sources) {
  return [sources = std::move(sources)](std::string_view name) -> std::optional<std::string> {
    auto found = sources.find(std::string(name));
    if (found == sources.end()) return std::nullopt;
    return found->second;
  };
}

// Renders strictly without escaping (oasgen's defaults); returns the error message on failure.
std::string render(std::string_view source, const json& data,
                   const PartialLoader& loader = partials({})) {
  try {
    return render_mustache("t.mustache", source, data, loader);
  } catch (const MustacheError& e) {
    return std::string("error: ") + e.what();
  }
}

}  // namespace

TEST_CASE("mustache: a missing key is an error naming the template and line") {
  CHECK(render("a\n{{#x}}\n{{x.y}}\n{{/x}}", {{"x", json::object()}}) ==
        "error: t.mustache:3: missing key 'x.y'");
  CHECK(render("{{#items}}{{absent}}{{/items}}", {{"items", {1}}}) ==
        "error: t.mustache:1: missing key 'absent'");
  CHECK(render("{{^flag}}no{{/flag}}", json::object()) ==
        "error: t.mustache:1: missing key 'flag'");
  try {
    render_mustache("t.mustache", "\n\n{{nope}}", json::object(), partials({}));
    FAIL("no error");
  } catch (const MustacheError& e) {
    CHECK(e.template_name() == "t.mustache");
    CHECK(e.line() == 3);
  }
}

TEST_CASE("mustache: a missing key inside a partial names the partial") {
  CHECK(render("{{>p}}", json::object(), partials({{"p", "x\n{{y}}"}})) ==
        "error: p:2: missing key 'y'");
}

TEST_CASE("mustache: null is a present key that renders empty when strict") {
  CHECK(render("[{{x}}]{{^x}}none{{/x}}", {{"x", nullptr}}) == "[]none");
}

TEST_CASE("mustache: a missing partial is an error when strict and empty otherwise") {
  CHECK(render("a\n {{>nope}}\n", json::object()) == "error: t.mustache:2: missing partial 'nope'");
  CHECK(render("{{<nope}}{{/nope}}", json::object()) ==
        "error: t.mustache:1: missing partial 'nope'");
  CHECK(render_mustache("t", "a{{>nope}}b", json::object(), partials({}), {.strict = false}) ==
        "ab");
}

TEST_CASE("mustache: nothing is HTML-escaped when html_escape is off") {
  const json data = {{"x", "<a href=\"?a&b\">'</a>"}};
  CHECK(render("{{x}}|{{{x}}}|{{&x}}", data) ==
        "<a href=\"?a&b\">'</a>|<a href=\"?a&b\">'</a>|<a href=\"?a&b\">'</a>");
  CHECK(render_mustache("t", "{{x}}|{{{x}}}", data, partials({}), {.html_escape = true}) ==
        "&lt;a href=&quot;?a&amp;b&quot;&gt;'&lt;/a&gt;|<a href=\"?a&b\">'</a>");
}

TEST_CASE("mustache: a value that looks like a tag is output literally") {
  CHECK(render("{{x}} {{#list}}{{.}}{{/list}}", {{"x", "{{x}}"}, {"list", {"{{>p}}", "{{/"}}},
               partials({{"p", "PARTIAL"}})) == "{{x}} {{>p}}{{/");
}

TEST_CASE("mustache: numbers and booleans print plainly") {
  CHECK(render("{{a}} {{b}} {{c}} {{d}} {{e}}",
               {{"a", 1.5}, {"b", 42}, {"c", -3.0}, {"d", true}, {"e", 10000000000}}) ==
        "1.5 42 -3 true 10000000000");
}

TEST_CASE("mustache: an object or list cannot be printed when strict") {
  CHECK(render("{{o}}", {{"o", json::object()}}) ==
        "error: t.mustache:1: 'o' is an object, not a value to print");
}

TEST_CASE("mustache: template errors name the line") {
  CHECK(render("a\n{{#outer}}\n{{#inner}}\n{{/inner}}\n", {{"outer", true}}) ==
        "error: t.mustache:2: unclosed section {{#outer}}");
  CHECK(render("{{#a}}\n{{/b}}", json::object()) ==
        "error: t.mustache:2: closing tag {{/b}} does not match {{#a}} on line 1");
  CHECK(render("x\n{{/a}}", json::object()) ==
        "error: t.mustache:2: closing tag {{/a}} without an opening tag");
  CHECK(render("\n\n{{=<% =}}", json::object()) ==
        "error: t.mustache:3: invalid set-delimiter tag: '<%'");
  CHECK(render("ok {{x", json::object()) == "error: t.mustache:1: unclosed tag: '{{' without '}}'");
  CHECK(render("{{>*name}}", json::object()) ==
        "error: t.mustache:1: dynamic names are not supported: {{>*name}}");
  CHECK(render("{{<p}}{{x}}{{/p}}", json::object(), partials({{"p", ""}})) ==
        "error: t.mustache:1: only blocks ({{$name}}) and comments may appear inside a parent tag");
}

TEST_CASE("mustache: a standalone partial is indented, values inside it are not") {
  CHECK(render("list:\n  {{>item}}\nend\n", {{"v", "a\nb"}},
               partials({{"item", "- {{v}}\n\n- {{v}}\n"}})) ==
        "list:\n  - a\nb\n\n  - a\nb\nend\n");
}

TEST_CASE("mustache: sections nested more than 100 deep are an error, not a stack overflow") {
  std::string deep;
  for (int i = 0; i < 20000; ++i) deep += "{{#a}}";
  CHECK(render(deep, json::object()) ==
        "error: t.mustache:1: sections nested more than 100 deep");
  std::string fits;
  for (int i = 0; i < 100; ++i) fits = "{{#a}}" + fits + "{{/a}}";
  CHECK(render(fits, {{"a", true}}).empty());
}

TEST_CASE("mustache: a partial that includes itself forever is an error") {
  CHECK(render("{{>p}}", json::object(), partials({{"p", "{{>p}}"}})) ==
        "error: p:1: partials nested more than 100 deep at 'p'");
}

// The views' JSON keeps its text in a ViewArena; render jobs run with none, so values that are not
// strings are formatted without one. Both JSON types print every kind of value alike.
TEST_CASE("mustache: a ViewJson view prints as the same nlohmann::json would") {
  const char* source = "{{s}}|{{t}}|{{f}}|{{i}}|{{u}}|{{d}}|{{n}}|{{o}}|{{#a}}{{.}},{{/a}}";
  const json data = {{"s", "text long enough not to fit in a short string"},
                     {"t", true}, {"f", false}, {"i", -42}, {"u", 18446744073709551615u},
                     {"d", 2.5}, {"n", nullptr}, {"o", {{"k", 1}}}, {"a", {1, "x", 3.0}}};
  oasgen::render::ViewArena arena;
  std::optional<oasgen::render::ViewJson> view;
  {
    oasgen::render::ViewArena::Scope scope(arena);
    view = oasgen::render::ViewJson::parse(data.dump());
  }
  const MustacheOptions lenient{false, false};  // so that an object prints (as its JSON)
  const std::string expected = render_mustache("t", source, data, partials({}), lenient);
  CHECK(expected ==
        "text long enough not to fit in a short string|true|false|-42|18446744073709551615|2.5||"
        "{\"k\":1}|1,x,3,");
  CHECK(render_mustache("t", source, *view, partials({}), lenient) == expected);
}
