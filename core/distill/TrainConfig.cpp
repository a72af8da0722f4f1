// SPDX-License-Identifier: GPL-3.0-or-later
#include "distill/TrainConfig.h"

#include "data/Sampler.h"
#include "distill/Losses.h"
#include "distill/LrSchedule.h"
#include "distill/Optimizers.h"
#include "distill/TargetNorm.h"
#include "students/StudentRegistry.h"
#include "util/AtomicFile.h"
#include "util/Device.h"
#include "util/Error.h"
#include "util/Hash.h"

#include <toml++/toml.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <functional>
#include <map>
#include <sstream>
#include <variant>

namespace ssondo {

namespace {

using Ptr = std::variant<std::string TrainConfig::*, double TrainConfig::*, std::int64_t TrainConfig::*,
                         bool TrainConfig::*, std::vector<std::string> TrainConfig::*>;

struct Field
{
    const char* section; // "" for top level
    const char* key;
    Ptr ptr;
    const char* doc;
    bool identity; // part of the computation (hashed)
    std::vector<ChoiceInfo> (*choices)() = nullptr;
    std::optional<double> min{}, max{};
    bool minOpen = false, maxOpen = false;
    bool advanced = true;
    /// A key added after runs were recorded: hashed only away from its default, so that the hash
    /// of every earlier config (what resumes a run) stays what it was.
    bool hashedOnlyWhenSet = false;

    Field(const char* s, const char* k, Ptr p, const char* d, bool id)
        : section(s), key(k), ptr(p), doc(d), identity(id)
    {
    }
    Field& basic()
    {
        advanced = false;
        return *this;
    }
    Field& addedLater()
    {
        hashedOnlyWhenSet = true;
        return *this;
    }
    Field& oneOf(std::vector<ChoiceInfo> (*c)())
    {
        choices = c;
        return *this;
    }
    /// [lo, hi], with either end open on request; nullopt: unbounded.
    Field& range(std::optional<double> lo, std::optional<double> hi, bool loOpen = false, bool hiOpen = false)
    {
        min = lo, max = hi, minOpen = loOpen, maxOpen = hiOpen;
        return *this;
    }
};

std::vector<ChoiceInfo> lossChoices()
{
    return losses().infos();
}
std::vector<ChoiceInfo> targetNormChoices()
{
    return targetNorms().infos();
}
std::vector<ChoiceInfo> samplerChoices()
{
    return samplers().infos();
}
std::vector<ChoiceInfo> optimizerChoices()
{
    return optimizers().infos();
}
std::vector<ChoiceInfo> scheduleChoices()
{
    return schedules().infos();
}
std::vector<ChoiceInfo> deviceChoices()
{
    return devices().infos();
}
std::vector<ChoiceInfo> studentChoices()
{
    std::vector<ChoiceInfo> out;
    for (const auto& s : StudentRegistry::instance().list())
        out.push_back({s.name, s.description});
    return out;
}

// The run config's keys, in TOML order: documentation, allowed values and ranges live here only.
// Long on purpose: the config's field table: data, one entry per key.
const std::vector<Field>& fields()
{
    using C = TrainConfig;
    static const std::vector<Field> f{
        Field("", "name", &C::name, "run name (empty: generated from student, loss and sampler)", false)
            .basic(),
        Field("", "tags", &C::tags, "free-form tags", false).basic(),
        Field("data", "embeddings", &C::embeddings, "teacher embedding set id (0: latest set of `dataset`)",
              true)
            .basic()
            .range(0, {}),
        Field("data", "dataset", &C::dataset, "dataset name, used when embeddings = 0", true),
        Field("data", "val_fraction", &C::valFraction, "share of clips held out for validation", true)
            .range(0, 0.5),
        Field("data", "clip_seconds", &C::clipSeconds,
              "training clips are padded/cut to this many seconds (reference: 10)", true)
            .basic()
            .range(1, 60),
        Field("data", "cache", &C::cache, "cache prepared log-mels in the workspace", false),
        Field("data", "workers", &C::workers, "data-loading threads (0: cores - 1)", false).range(0, 64),
        Field("student", "arch", &C::arch, "student architecture (see `ssondo students`)", true)
            .basic()
            .oneOf(studentChoices),
        Field("student", "width", &C::width, "width multiplier (mn10 = 1.0)", true).basic().range(0, 8, true),
        Field("student", "m_channels", &C::mChannels, "ERes2Net base channels, even (reference: 16)", true)
            .range(2, 256),
        Field("student", "init", &C::init, "PyTorch state dict with reference key names to start from", true),
        Field("head", "hidden", &C::headHidden, "mapping head hidden width (reference: 1280)", true)
            .range(1, {}),
        Field("head", "dropout", &C::headDropout, "mapping head dropout (reference: 0.2)", true)
            .range(0, 1, false, true),
        Field("loss", "kind", &C::loss, "distillation loss (reference: cosine)", true)
            .basic()
            .oneOf(lossChoices),
        Field("loss", "temperature", &C::temperature, "temperature of the losses that use one", true)
            .range(0, {}, true),
        Field("loss", "target_norm", &C::targetNorm,
              "teacher embeddings as the loss and the validation cosine see them (reference: none)", true)
            .oneOf(targetNormChoices)
            .addedLater(),
        Field("sampler", "kind", &C::sampler,
              "how training clips are drawn (the paper's best: balanced over k = 50 clusters)", true)
            .basic()
            .oneOf(samplerChoices),
        Field("sampler", "clustering", &C::clustering,
              "clustering id, for the balanced sampler and the losses that need clusters", true)
            .basic()
            .range(0, {}),
        Field("optim", "optimizer", &C::optimizer, "optimizer (reference: adam)", true)
            .oneOf(optimizerChoices),
        Field("optim", "lr", &C::lr, "peak learning rate (reference: 8e-4)", true)
            .basic()
            .range(0, 1, true, true),
        Field("optim", "weight_decay", &C::weightDecay, "weight decay (reference: 0)", true).range(0, {}),
        Field("optim", "schedule", &C::schedule, "learning-rate schedule (reference: reference)", true)
            .basic()
            .oneOf(scheduleChoices),
        Field("optim", "warmup_epochs", &C::warmupEpochs, "warm-up length in epochs (reference: 8)", true)
            .range(0, {}),
        Field("optim", "rampdown_start", &C::rampdownStart,
              "epoch where the ramp-down starts (reference: 80)", true)
            .range(0, {}),
        Field("optim", "rampdown_epochs", &C::rampdownEpochs, "ramp-down length in epochs (reference: 95)",
              true)
            .range(0, {}, true),
        Field("optim", "rampdown_final", &C::rampdownFinal, "final learning-rate factor (reference: 0.01)",
              true)
            .range(0, 1, true),
        Field("optim", "grad_clip", &C::gradClip, "gradient norm clipping, 0 = off (reference: 5)", true)
            .range(0, {}),
        Field("train", "epochs", &C::epochs, "number of epochs (reference: 175)", true)
            .basic()
            .range(1, 100000),
        Field("train", "batch_size", &C::batchSize, "clips per step (reference: 64)", true)
            .basic()
            .range(1, 65536),
        Field("train", "samples_per_epoch", &C::samplesPerEpoch,
              "clips drawn per epoch (0: one pass over the training clips)", true)
            .basic()
            .range(0, {}),
        Field("train", "seed", &C::seed, "random seed: same seed, same curve (reference: 42)", true)
            .basic()
            .range(0, {}),
        Field("train", "device", &C::device, "where to train", false).oneOf(deviceChoices),
        Field("train", "mixup", &C::mixup, "mixup alpha, 0 = off (reference distillation: off)", true)
            .range(0, {}),
        Field("train", "specaugment", &C::specAugment, "SpecAugment masks (reference distillation: off)",
              true),
        Field("train", "freq_mask", &C::freqMask, "SpecAugment frequency mask width (mel bins)", true)
            .range(0, {}),
        Field("train", "time_mask", &C::timeMask, "SpecAugment time mask width (frames)", true).range(0, {}),
        Field("train", "checkpoint_every", &C::checkpointEvery,
              "steps between checkpoints (also at each epoch end)", false)
            .range(1, {}),
        Field("train", "log_every", &C::logEvery, "steps between logged training-loss points", false)
            .range(1, {}),
        Field("train", "precise_bn", &C::preciseBn,
              "training clips used to re-estimate batch-norm statistics before each validation, 0 = off "
              "(reference: off; with BN momentum 0.01, short runs need it for a faithful validation)",
              true)
            .range(0, {}),
        Field("train", "align_clips", &C::alignClips,
              "training clips whose mapped student embeddings are kept at step 0 and after every epoch "
              "for the alignment map (-1: the smaller of 2000 and a sixteenth of an epoch's clips; 0: off)",
              false)
            .range(-1, 100000),
    };
    return f;
}

std::string fullKey(const Field& f)
{
    return std::string(f.section).empty() ? f.key : std::string(f.section) + "." + f.key;
}

const Field* findField(const std::string& key)
{
    for (const auto& f : fields())
        if (fullKey(f) == key)
            return &f;
    return nullptr;
}

std::string knownKeys(const std::string& section)
{
    std::string out;
    for (const auto& f : fields())
        if (f.section == section)
            out += (out.empty() ? "" : ", ") + std::string(f.key);
    return out;
}

std::string formatValue(const TrainConfig& c, const Field& f)
{
    std::ostringstream s;
    std::visit(
        [&](auto p) {
            using T = std::decay_t<decltype(c.*p)>;
            const T& v = c.*p;
            if constexpr (std::is_same_v<T, std::string>) {
                s << toml::value<std::string>(v);
            } else if constexpr (std::is_same_v<T, double>) {
                // Shortest text that reads back to the same double ("0.1", not "0.10000000000000001").
                char buf[64];
                auto r = std::to_chars(buf, buf + sizeof buf, v);
                std::string t(buf, r.ptr);
                if (t.find_first_of(".eEn") == std::string::npos)
                    t += ".0";
                s << t;
            } else if constexpr (std::is_same_v<T, std::int64_t>) {
                s << v;
            } else if constexpr (std::is_same_v<T, bool>) {
                s << (v ? "true" : "false");
            } else {
                toml::array a;
                for (const auto& x : v)
                    a.push_back(x);
                s << a;
            }
        },
        f.ptr);
    return s.str();
}

void assignNode(TrainConfig& c, const Field& f, const toml::node& n, const std::string& where)
{
    const std::string key = fullKey(f);
    auto bad = [&](const char* want) { return InputError(where + ": '" + key + "' must be " + want); };
    std::visit(
        [&](auto p) {
            using T = std::decay_t<decltype(c.*p)>;
            if constexpr (std::is_same_v<T, std::string>) {
                if (!n.is_string())
                    throw bad("a string");
                c.*p = n.value<std::string>().value();
            } else if constexpr (std::is_same_v<T, double>) {
                if (!n.is_number())
                    throw bad("a number");
                c.*p = n.value<double>().value();
            } else if constexpr (std::is_same_v<T, std::int64_t>) {
                if (!n.is_integer())
                    throw bad("an integer");
                c.*p = n.value<std::int64_t>().value();
            } else if constexpr (std::is_same_v<T, bool>) {
                if (!n.is_boolean())
                    throw bad("true or false");
                c.*p = n.value<bool>().value();
            } else {
                if (!n.is_array())
                    throw bad("an array of strings");
                std::vector<std::string> out;
                for (const auto& e : *n.as_array()) {
                    if (!e.is_string())
                        throw bad("an array of strings");
                    out.push_back(e.value<std::string>().value());
                }
                c.*p = out;
            }
        },
        f.ptr);
}

} // namespace

TrainConfig TrainConfig::fromToml(const std::string& text, const std::string& where)
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
    TrainConfig c;
    static const std::vector<std::string> sections{"data",    "student", "head", "loss",
                                                   "sampler", "optim",   "train"};
    for (const auto& [k, node] : t) {
        const std::string key(k.str());
        if (node.is_table()) {
            if (std::find(sections.begin(), sections.end(), key) == sections.end())
                throw InputError(where + ": unknown section [" + key +
                                 "] (known: data, student, head, loss, sampler, optim, train)");
            for (const auto& [k2, n2] : *node.as_table()) {
                const Field* f = findField(key + "." + std::string(k2.str()));
                if (!f)
                    throw InputError(where + ": unknown key '" + std::string(k2.str()) + "' in [" + key +
                                     "] (known: " + knownKeys(key) + ")");
                assignNode(c, *f, n2, where);
            }
        } else {
            const Field* f = findField(key);
            if (!f)
                throw InputError(where + ": unknown key '" + key + "' (known at the top level: " +
                                 knownKeys("") + "; the others belong in a [section])");
            assignNode(c, *f, node, where);
        }
    }
    c.validate();
    return c;
}

TrainConfig TrainConfig::fromFile(const std::string& path)
{
    return fromToml(readFile(path), path);
}

void TrainConfig::set(const std::string& key, const std::string& value)
{
    const Field* f = findField(key);
    if (!f)
        throw InputError("unknown config key '" + key + "'");
    // Values are read as TOML ("1e-3", "true", "[\"a\"]"); strings need no quotes, lists may be
    // given comma-separated.
    std::ostringstream literal;
    if (std::holds_alternative<std::string TrainConfig::*>(f->ptr)) {
        literal << toml::value<std::string>(value);
    } else if (std::holds_alternative<std::vector<std::string> TrainConfig::*>(f->ptr) &&
               value.rfind('[', 0) != 0) {
        toml::array a;
        std::stringstream ss(value);
        std::string item;
        while (std::getline(ss, item, ','))
            if (!item.empty())
                a.push_back(item);
        literal << a;
    } else {
        literal << value;
    }
    toml::table t;
    try {
        t = toml::parse("v = " + literal.str());
    } catch (const toml::parse_error&) {
        throw InputError("--" + key + ": '" + value + "' is not a valid value");
    }
    assignNode(*this, *f, *t.get("v"), "--" + key);
}

const std::vector<ConfigKey>& TrainConfig::schema()
{
    static const std::vector<ConfigKey> keys = [] {
        std::vector<ConfigKey> out;
        for (const Field& f : fields()) {
            ConfigKey k;
            k.key = fullKey(f);
            k.section = f.section;
            k.leaf = f.key;
            k.doc = f.doc;
            k.type = std::visit(
                [](auto p) {
                    using T = std::decay_t<decltype(TrainConfig().*p)>;
                    if constexpr (std::is_same_v<T, std::string>)
                        return ConfigKey::Type::Text;
                    else if constexpr (std::is_same_v<T, double>)
                        return ConfigKey::Type::Real;
                    else if constexpr (std::is_same_v<T, std::int64_t>)
                        return ConfigKey::Type::Integer;
                    else if constexpr (std::is_same_v<T, bool>)
                        return ConfigKey::Type::Flag;
                    else
                        return ConfigKey::Type::List;
                },
                f.ptr);
            k.m_choices = f.choices;
            k.min = f.min, k.max = f.max, k.minOpen = f.minOpen, k.maxOpen = f.maxOpen;
            k.advanced = f.advanced;
            k.identity = f.identity;
            out.push_back(std::move(k));
        }
        return out;
    }();
    return keys;
}

const ConfigKey* TrainConfig::keyInfo(const std::string& key)
{
    for (const auto& k : schema())
        if (k.key == key)
            return &k;
    return nullptr;
}

namespace {

std::string number(double v)
{
    std::ostringstream s;
    s << v;
    return s.str();
}

/// "in (0, 1)", "at least 1", "> 0"; "" when unbounded.
std::string rangeText(const ConfigKey& k)
{
    if (k.min && k.max)
        return std::string("in ") + (k.minOpen ? "(" : "[") + number(*k.min) + ", " + number(*k.max) +
               (k.maxOpen ? ")" : "]");
    if (k.min)
        return (k.minOpen ? "> " : ">= ") + number(*k.min);
    if (k.max)
        return (k.maxOpen ? "< " : "<= ") + number(*k.max);
    return {};
}

} // namespace

std::string ConfigKey::help() const
{
    std::string out = doc;
    std::string names;
    for (const auto& c : choices())
        names += (names.empty() ? "" : " | ") + c.name;
    if (!names.empty())
        out += ": " + names;
    else if (const std::string r = rangeText(*this); !r.empty())
        out += "; " + r;
    return out;
}

std::string ConfigKey::check(const std::string& value) const
{
    const auto allowed = choices();
    if (!allowed.empty()) {
        // "cuda:N" stands for every GPU index.
        const bool ok = std::any_of(allowed.begin(), allowed.end(), [&](const ChoiceInfo& c) {
            return c.name == value ||
                   (c.name == "cuda:N" && value.rfind("cuda:", 0) == 0 && value.size() > 5 &&
                    value.find_first_not_of("0123456789", 5) == std::string::npos);
        });
        if (ok)
            return {};
        std::string names;
        for (const auto& c : allowed)
            names += (names.empty() ? "" : ", ") + c.name;
        return key + " must be one of " + names + ", got '" + value + "'";
    }
    if ((type != Type::Real && type != Type::Integer) || (!min && !max))
        return {};
    const double v = std::strtod(value.c_str(), nullptr);
    const bool below = min && (minOpen ? v <= *min : v < *min);
    const bool above = max && (maxOpen ? v >= *max : v > *max);
    if (below || above || std::isnan(v))
        return key + " must be " + rangeText(*this) + ", got " + value;
    return {};
}

void TrainConfig::validate() const
{
    auto fail = [](const std::string& m) { throw InputError("config: " + m); };
    for (const auto& k : schema())
        if (const std::string why = k.check(valueText(k.key, true)); !why.empty())
            fail(why);
    // What one key cannot say alone.
    if (mChannels % 2 != 0)
        fail("student.m_channels must be even, got " + std::to_string(mChannels));
    if ((samplers().get(sampler, "sampler.kind").needsClustering ||
         losses().get(loss, "loss.kind").needsClusters) &&
        clustering <= 0)
        fail("sampler.clustering must name a clustering (see `ssondo cluster`): sampler '" + sampler +
             "' and loss '" + loss + "' together need one");
    if (embeddings <= 0 && dataset.empty())
        fail("name the teacher embeddings: data.embeddings = ID or data.dataset = NAME");
}

std::string TrainConfig::toToml(bool withComments) const
{
    std::ostringstream s;
    std::string section = "";
    for (const auto& f : fields()) {
        if (f.section != section) {
            section = f.section;
            s << "\n[" << section << "]\n";
        }
        if (withComments)
            s << "# " << keyInfo(fullKey(f))->help() << "\n";
        s << f.key << " = " << formatValue(*this, f) << "\n";
    }
    return s.str();
}

std::string TrainConfig::hash() const
{
    static const TrainConfig defaults;
    Fnv1a64 h;
    for (const auto& f : fields())
        if (f.identity && !(f.hashedOnlyWhenSet && formatValue(*this, f) == formatValue(defaults, f))) {
            h.add(fullKey(f));
            h.add(formatValue(*this, f));
        }
    return h.hex();
}

std::string TrainConfig::valueText(const std::string& key, bool unquoted) const
{
    const auto dot = key.find('.');
    const std::string section = dot == std::string::npos ? "" : key.substr(0, dot);
    const std::string leaf = dot == std::string::npos ? key : key.substr(dot + 1);
    std::istringstream in(toToml(false));
    std::string current;
    for (std::string line; std::getline(in, line);) {
        if (!line.empty() && line[0] == '[')
            current = line.substr(1, line.size() - 2);
        else if (current == section && line.rfind(leaf + " = ", 0) == 0) {
            std::string v = line.substr(leaf.size() + 3);
            if (unquoted && v.size() >= 2 && (v.front() == '\'' || v.front() == '"') && v.back() == v.front())
                v = v.substr(1, v.size() - 2);
            return v;
        }
    }
    return {};
}

std::vector<std::string> TrainConfig::differences(const TrainConfig& o) const
{
    std::vector<std::string> out;
    for (const auto& f : fields())
        if (formatValue(*this, f) != formatValue(o, f))
            out.push_back(fullKey(f));
    return out;
}

} // namespace ssondo
