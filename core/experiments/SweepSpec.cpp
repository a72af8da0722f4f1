// SPDX-License-Identifier: GPL-3.0-or-later
#include "experiments/SweepSpec.h"

#include "util/AtomicFile.h"
#include "util/Error.h"
#include "util/Hash.h"

#include <toml++/toml.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <set>
#include <sstream>

namespace ssondo {

namespace {

const std::set<std::string> kTopKeys{"name",   "config", "method", "seeds",         "trials",  "search_seed",
                                     "metric", "base",   "vary",   "stop_if_below", "parallel"};
const std::set<std::string> kSpecKeys{"values", "min", "max", "step", "distribution"};

/// Shortest text that reads back as the same double ("0.001", "8e-05").
std::string shortest(double v)
{
    char buf[64];
    const auto r = std::to_chars(buf, buf + sizeof buf, v);
    return std::string(buf, r.ptr);
}

/// `v` to 12 significant digits: 0.1 + 2 × 0.1 is the 0.3 a user typed, not 0.30000000000000004.
double round12(double v)
{
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.12g", v);
    return std::strtod(buf, nullptr);
}

/// A TOML scalar as `TrainConfig::set` takes it: strings without quotes, the rest as TOML writes them.
std::string scalarText(const toml::node& n, const std::string& where)
{
    if (auto s = n.value<std::string>())
        return *s;
    if (n.is_integer())
        return std::to_string(*n.value<std::int64_t>());
    if (n.is_floating_point())
        return shortest(*n.value<double>());
    if (auto b = n.value<bool>())
        return *b ? "true" : "false";
    if (n.is_array()) {
        std::ostringstream s;
        s << *n.as_array();
        return s.str();
    }
    throw InputError(where + ": expected a value (text, number, true/false or a list), got a table");
}

double number(const toml::table& t, const char* key, const std::string& where)
{
    const toml::node* n = t.get(key);
    if (!n)
        throw InputError(where + ": '" + key + "' is missing");
    if (auto d = n->value<double>())
        return *d;
    throw InputError(where + ": '" + key + "' must be a number");
}

/// Every leaf of `t` under `prefix` as (dotted key, node): the run config's sections flattened.
void leaves(const toml::table& t, const std::string& prefix,
            std::vector<std::pair<std::string, const toml::node*>>& out, bool stopAtSpecs)
{
    for (const auto& [k, n] : t) {
        const std::string key = prefix.empty() ? std::string(k.str()) : prefix + "." + std::string(k.str());
        const toml::table* sub = n.as_table();
        bool isSpec = false;
        if (sub && stopAtSpecs) {
            isSpec = !sub->empty();
            for (const auto& [k2, n2] : *sub)
                isSpec = isSpec && kSpecKeys.count(std::string(k2.str()));
        }
        if (sub && !isSpec)
            leaves(*sub, key, out, stopAtSpecs);
        else
            out.emplace_back(key, &n);
    }
}

const ConfigKey& variedKey(const std::string& key, const std::string& where)
{
    const ConfigKey* info = TrainConfig::keyInfo(key);
    if (!info)
        throw InputError(where + ": [vary] names '" + key +
                         "', which is not a run-config key (see ssondo train --print-config)");
    if (key == "train.seed")
        throw InputError(where + ": vary the seed with seeds = [...], not [vary] train.seed");
    if (!info->identity)
        throw InputError(
            where + ": [vary] " + key +
            " does not change the computation (it is not in a run's identity); every run would be the same");
    return *info;
}

std::vector<std::string> rangeValues(const ConfigKey& info, double lo, double hi, double step,
                                     const std::string& where)
{
    if (!(step > 0) || !(hi >= lo))
        throw InputError(where + ": a range needs min <= max and step > 0");
    const double count = std::floor((hi - lo) / step + 1e-9) + 1;
    if (count > 10000)
        throw InputError(where + ": the range has " + shortest(count) + " values (at most 10000)");
    const bool integer = info.type == ConfigKey::Type::Integer;
    if (integer && (lo != std::floor(lo) || step != std::floor(step)))
        throw InputError(where + ": " + info.key + " is an integer: min and step must be integers");
    std::vector<std::string> out;
    for (std::int64_t i = 0; i < std::int64_t(count); ++i) {
        const double v = lo + double(i) * step; // not accumulated: no drift
        out.push_back(integer ? std::to_string(std::int64_t(std::llround(v))) : shortest(round12(v)));
    }
    return out;
}

SweepParam readParam(const std::string& key, const toml::node& n, const std::string& where)
{
    const std::string w = where + ": [vary] " + key;
    const ConfigKey& info = variedKey(key, where);
    SweepParam p;
    p.key = key;
    if (const toml::array* a = n.as_array()) {
        for (const auto& v : *a)
            p.values.push_back(scalarText(v, w));
    } else if (const toml::table* t = n.as_table()) {
        if (const toml::node* vals = t->get("values")) {
            if (!vals->is_array())
                throw InputError(w + ": values must be a list");
            for (const auto& v : *vals->as_array())
                p.values.push_back(scalarText(v, w));
        } else if (const toml::node* d = t->get("distribution")) {
            const std::string dist = d->value<std::string>().value_or("");
            p.kind = dist == "uniform"       ? SweepParam::Kind::Uniform
                     : dist == "log_uniform" ? SweepParam::Kind::LogUniform
                     : dist == "int_uniform"
                         ? SweepParam::Kind::IntUniform
                         : throw InputError(w + ": distribution '" + dist +
                                            "' (known: uniform, log_uniform, int_uniform)");
            p.min = number(*t, "min", w);
            p.max = number(*t, "max", w);
            if (!(p.max >= p.min) || (p.kind == SweepParam::Kind::LogUniform && !(p.min > 0)))
                throw InputError(w + ": a distribution needs min <= max (and min > 0 for log_uniform)");
            if (info.type != ConfigKey::Type::Real && info.type != ConfigKey::Type::Integer)
                throw InputError(w + ": a distribution needs a numeric key");
            if (p.kind != SweepParam::Kind::IntUniform && info.type == ConfigKey::Type::Integer)
                throw InputError(w + ": " + key + " is an integer: use int_uniform or a list");
        } else {
            p.kind = SweepParam::Kind::Range;
            p.values =
                rangeValues(info, number(*t, "min", w), number(*t, "max", w), number(*t, "step", w), w);
        }
    } else {
        throw InputError(w + ": expected a list of values, a range {min, max, step} or a distribution");
    }
    if (!p.sampled() && p.values.empty())
        throw InputError(w + ": no values");
    for (const auto& v : p.values)
        if (const std::string why = info.check(v); !why.empty())
            throw InputError(w + ": value " + v + ": " + why);
    return p;
}

/// A uniform double in [0, 1) from (seed, counter): the same on every machine and standard library
/// (std::uniform_real_distribution is not specified bit for bit).
double unit(std::uint64_t seed, std::uint64_t counter)
{
    return double(mixSeed(seed, counter) >> 11) * 0x1.0p-53;
}

std::string draw(const SweepParam& p, const ConfigKey& info, double u)
{
    switch (p.kind) {
    case SweepParam::Kind::List:
    case SweepParam::Kind::Range:
        return p.values[std::min(p.values.size() - 1, std::size_t(u * double(p.values.size())))];
    case SweepParam::Kind::Uniform:
        return shortest(p.min + u * (p.max - p.min));
    case SweepParam::Kind::LogUniform:
        return shortest(std::exp(std::log(p.min) + u * (std::log(p.max) - std::log(p.min))));
    case SweepParam::Kind::IntUniform: {
        const double lo = std::ceil(p.min), hi = std::floor(p.max);
        const auto v = std::int64_t(lo + std::floor(u * (hi - lo + 1)));
        return info.type == ConfigKey::Type::Integer ? std::to_string(v) : shortest(double(v));
    }
    }
    return {};
}

} // namespace

SweepSpec SweepSpec::fromToml(const std::string& text, const std::string& where, const std::string& baseDir)
{
    toml::table t;
    try {
        t = toml::parse(text, where);
    } catch (const toml::parse_error& e) {
        std::ostringstream s;
        s << where << ":" << e.source().begin.line << ":" << e.source().begin.column << ": "
          << e.description();
        throw InputError(s.str());
    }
    for (const auto& [k, n] : t)
        if (!kTopKeys.count(std::string(k.str())))
            throw InputError(where + ": unknown key '" + std::string(k.str()) +
                             "' (known: name, config, method, seeds, trials, search_seed, metric, "
                             "stop_if_below, parallel, [base], [vary])");
    SweepSpec s;
    s.source = text;
    s.name = t["name"].value_or(std::string("sweep"));
    if (auto cfg = t["config"].value<std::string>()) {
        const std::filesystem::path p = std::filesystem::path(baseDir) / *cfg;
        s.base = TrainConfig::fromFile(p.string());
    }
    if (const toml::table* base = t["base"].as_table()) {
        std::vector<std::pair<std::string, const toml::node*>> kv;
        leaves(*base, "", kv, false);
        for (const auto& [key, node] : kv) {
            try {
                s.base.set(key, scalarText(*node, where + ": [base] " + key));
            } catch (const InputError& e) {
                throw InputError(where + ": [base] " + e.what());
            }
        }
    }
    s.base.validate();
    if (const toml::table* vary = t["vary"].as_table()) {
        std::vector<std::pair<std::string, const toml::node*>> kv;
        leaves(*vary, "", kv, true);
        // In the file's order (toml++ iterates a table by key): the first key written varies slowest.
        std::stable_sort(kv.begin(), kv.end(), [](const auto& a, const auto& b) {
            const auto &pa = a.second->source().begin, &pb = b.second->source().begin;
            return pa.line != pb.line ? pa.line < pb.line : pa.column < pb.column;
        });
        for (const auto& [key, node] : kv)
            s.params.push_back(readParam(key, *node, where));
    }
    if (const toml::array* seeds = t["seeds"].as_array()) {
        for (const auto& v : *seeds) {
            if (!v.is_integer())
                throw InputError(where + ": seeds must be integers");
            s.seeds.push_back(*v.value<std::int64_t>());
        }
        if (std::set<std::int64_t>(s.seeds.begin(), s.seeds.end()).size() != s.seeds.size())
            throw InputError(where + ": seeds repeat a value");
    }
    bool anySampled = false;
    for (const auto& p : s.params)
        anySampled = anySampled || p.sampled();
    s.method = t["method"].value_or(std::string(anySampled ? "random" : "grid"));
    if (s.method != "grid" && s.method != "random")
        throw InputError(where + ": method '" + s.method + "' (known: grid, random)");
    if (s.method == "grid" && anySampled)
        throw InputError(where +
                         ": a grid cannot hold a distribution: use method = \"random\" with trials = N");
    s.trials = int(t["trials"].value_or(std::int64_t(0)));
    if (s.method == "random" && (s.trials < 1 || s.trials > 100000))
        throw InputError(where + ": random search needs trials = N (1 to 100000)");
    s.searchSeed = t["search_seed"].value_or(std::int64_t(0));
    s.metric = t["metric"].value_or(std::string("val_cosine"));
    if (s.metric != "val_cosine" && (s.metric.rfind("probe:", 0) != 0 || s.metric.size() <= 6))
        throw InputError(where + ": metric '" + s.metric + "' (known: val_cosine, probe:DATASET)");
    s.stopIfBelow = t["stop_if_below"].value_or(0.0);
    if (!(s.stopIfBelow >= 0 && s.stopIfBelow < 1))
        throw InputError(where +
                         ": stop_if_below is a fraction of the best run's validation cosine, in [0, 1)");
    s.parallel = int(t["parallel"].value_or(std::int64_t(1)));
    if (s.parallel < 1 || s.parallel > 256)
        throw InputError(where + ": parallel must be 1 to 256");
    return s;
}

SweepSpec SweepSpec::fromFile(const std::string& path)
{
    return fromToml(readFile(path), path, std::filesystem::path(path).parent_path().string());
}

std::string SweepSpec::metricTask() const
{
    return metric.rfind("probe:", 0) == 0 ? metric.substr(6) : std::string();
}

std::vector<SweepTrial> SweepSpec::expand() const
{
    // The points: value indices per parameter (grid) or drawn values (random).
    std::vector<std::vector<std::string>> points;
    if (method == "grid") {
        std::size_t count = 1;
        for (const auto& p : params) {
            count *= p.values.size();
            if (count > 100000)
                throw InputError("sweep '" + name + "': the grid has more than 100000 points");
        }
        for (std::size_t i = 0; i < count; ++i) {
            std::vector<std::string> v(params.size());
            std::size_t rest = i;
            for (std::size_t k = params.size(); k-- > 0;) { // the first key varies slowest
                v[k] = params[k].values[rest % params[k].values.size()];
                rest /= params[k].values.size();
            }
            points.push_back(std::move(v));
        }
    } else {
        for (int t = 0; t < trials; ++t) {
            std::vector<std::string> v;
            for (std::size_t k = 0; k < params.size(); ++k)
                v.push_back(draw(params[k], *TrainConfig::keyInfo(params[k].key),
                                 unit(std::uint64_t(searchSeed), std::uint64_t(t) * 1024 + k)));
            points.push_back(std::move(v));
        }
    }
    const std::vector<std::int64_t> seedList = seeds.empty() ? std::vector<std::int64_t>{base.seed} : seeds;
    std::vector<SweepTrial> out;
    std::map<std::string, int> byHash;
    for (std::size_t pt = 0; pt < points.size(); ++pt)
        for (std::int64_t seed : seedList) {
            SweepTrial tr;
            tr.index = int(out.size());
            tr.point = int(pt);
            tr.seed = seed;
            tr.config = base;
            for (std::size_t k = 0; k < params.size(); ++k) {
                tr.values.emplace_back(params[k].key, points[pt][k]);
                tr.config.set(params[k].key, points[pt][k]);
            }
            tr.config.seed = seed;
            tr.config.validate();
            char num[32];
            std::snprintf(num, sizeof num, "%03d", tr.index + 1);
            tr.config.name = name + "-" + num;
            tr.config.tags.push_back("sweep:" + name);
            const auto [it, fresh] = byHash.emplace(tr.config.hash(), tr.index);
            if (!fresh) {
                if (method == "random")
                    continue; // a draw that repeats an earlier point adds nothing
                throw InputError("sweep '" + name + "': runs " + std::to_string(it->second + 1) + " and " +
                                 std::to_string(tr.index + 1) + " have the same config");
            }
            out.push_back(std::move(tr));
        }
    return out;
}

std::string SweepSpec::hash() const
{
    Fnv1a64 h;
    h.add(base.hash());
    h.add(method);
    for (const auto& p : params) {
        h.add(p.key);
        h.add(std::to_string(int(p.kind)));
        for (const auto& v : p.values)
            h.add(v + "\n");
        h.add(shortest(p.min) + "," + shortest(p.max));
    }
    for (auto s : seeds)
        h.add(std::to_string(s) + ",");
    h.add(std::to_string(trials) + "/" + std::to_string(searchSeed) + "/" + metric);
    return h.hex();
}

} // namespace ssondo
