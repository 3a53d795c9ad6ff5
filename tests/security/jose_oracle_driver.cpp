// The JWT oracle's driver: verifies every case that jose_oracle.mjs made with oasgen's verifier
// and compares the verdict with jose's. Exit 0 only when every case agrees, jose agrees with each
// case's intent, and at least FLOOR cases ran.
//
//   jose_oracle_driver CASES.json FLOOR
#include <oasgen/security/jwt.hpp>

#include <chrono>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>

using oasgen::security::JwtAlgorithm;
using oasgen::security::JwtKey;
using oasgen::security::JwtOptions;
using oasgen::security::JwtVerifier;

int main(int argc, char** argv) {
  if (argc != 3) {
    std::cerr << "usage: jose_oracle_driver CASES.json FLOOR\n";
    return 2;
  }
  try {
    std::ifstream in(argv[1]);
    std::stringstream text;
    text << in.rdbuf();
    const nlohmann::json document = nlohmann::json::parse(text.str());
    const nlohmann::json& config = document.at("config");
    const std::size_t floor = std::stoul(argv[2]);

    std::map<std::string, JwtVerifier> verifiers;
    for (const auto& [name, spec] : document.at("verifiers").items()) {
      JwtOptions options;
      for (const auto& alg : spec.at("algorithms")) {
        options.algorithms.push_back(
            oasgen::security::parse_jwt_algorithm(alg.get<std::string>()).value());
      }
      options.issuers = {config.at("issuer").get<std::string>()};
      options.audiences = {config.at("audience").get<std::string>()};
      options.leeway = std::chrono::seconds(config.at("leeway").get<long long>());
      options.max_token_bytes = config.at("max_token_bytes").get<std::size_t>();
      const long long now = config.at("now").get<long long>();
      options.clock = [now] {
        return std::chrono::system_clock::time_point(std::chrono::seconds(now));
      };
      std::vector<JwtKey> keys;
      if (spec.contains("jwks")) {
        auto set = oasgen::security::JwkSet::from_json(spec.at("jwks"));
        if (set.skipped != 0) {
          std::cerr << "jose_oracle_driver: " << set.skipped << " JWKs of '" << name
                    << "' were not understood\n";
          return 1;
        }
        keys = std::move(set.keys);
      } else {
        keys.push_back(JwtKey::from_pem(spec.at("pem").get<std::string>()));
      }
      verifiers.emplace(name, JwtVerifier(options, std::move(keys)));
    }

    std::size_t agree = 0, disagree = 0, off_intent = 0, accepted = 0;
    for (const auto& c : document.at("cases")) {
      const std::string name = c.at("name").get<std::string>();
      const JwtVerifier& verifier = verifiers.at(c.at("verifier").get<std::string>());
      const auto result = verifier.verify(c.at("token").get<std::string>());
      const auto* error = std::get_if<oasgen::security::JwtError>(&result);
      const std::string ours = error ? "reject" : "accept";
      const std::string jose = c.at("jose").get<std::string>();
      if (ours == "accept") ++accepted;
      if (ours == jose) {
        ++agree;
      } else {
        ++disagree;
        std::cout << "DISAGREE: " << name << ": oasgen " << ours
                  << (error ? " (" + std::string(to_string(*error)) + ")" : std::string())
                  << ", jose " << jose << "\n";
      }
      if (jose != c.at("expect").get<std::string>()) {
        ++off_intent;
        std::cout << "jose's verdict is not the case's intent: " << name << "\n";
      }
    }
    const std::size_t total = agree + disagree;
    std::cout << "jwt oracle: " << agree << " agree, " << disagree << " disagree (" << total
              << " cases, " << accepted << " accepted by oasgen)\n";
    if (total < floor) {
      std::cout << "jose_oracle_driver: only " << total << " cases ran; at least " << floor
                << " are expected\n";
      return 1;
    }
    return disagree == 0 && off_intent == 0 ? 0 : 1;
  } catch (const std::exception& e) {
    std::cerr << "jose_oracle_driver: " << e.what() << "\n";
    return 1;
  }
}
