#include "distill/TrainConfig.h"

#include "util/AtomicFile.h"
#include "util/Error.h"
#include "util/Hash.h"

#include <toml++/toml.h>

#include <charconv>
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
};

const std::vector<Field>& fields()
{
    static const std::vector<Field> f{
        {"", "name", &TrainConfig::name, "run name (empty: generated from student, loss and sampler)", false},
        {"", "tags", &TrainConfig::tags, "free-form tags", false},
        {"data", "embeddings", &TrainConfig::embeddings,
         "teacher embedding set id (0: latest set of `dataset`)", true},
        {"data", "dataset", &TrainConfig::dataset, "dataset name, used when embeddings = 0", true},
        {"data", "val_fraction", &TrainConfig::valFraction,
         "share of clips held out for validation, in [0, 0.5]", true},
        {"data", "clip_seconds", &TrainConfig::clipSeconds,
         "training clips are padded/cut to this many seconds (reference: 10)", true},
        {"data", "cache", &TrainConfig::cache, "cache prepared log-mels in the workspace", false},
        {"data", "workers", &TrainConfig::workers, "data-loading threads (0: cores - 1)", false},
        {"student", "arch", &TrainConfig::arch, "student architecture (see `ssondo students`)", true},
        {"student", "width", &TrainConfig::width, "width multiplier (mn10 = 1.0)", true},
        {"student", "m_channels", &TrainConfig::mChannels, "ERes2Net base channels (reference: 16)", true},
        {"student", "init", &TrainConfig::init, "PyTorch state dict with reference key names to start from",
         true},
        {"head", "hidden", &TrainConfig::headHidden, "mapping head hidden width (reference: 1280)", true},
        {"head", "dropout", &TrainConfig::headDropout, "mapping head dropout (reference: 0.2)", true},
        {"loss", "kind", &TrainConfig::loss, "cosine | mse | l1 | kl | clap | cluster_contrastive", true},
        {"loss", "temperature", &TrainConfig::temperature, "temperature of kl, clap and cluster_contrastive",
         true},
        {"sampler", "kind", &TrainConfig::sampler, "uniform | balanced (needs a clustering)", true},
        {"sampler", "clustering", &TrainConfig::clustering, "clustering id for the balanced sampler", true},
        {"optim", "optimizer", &TrainConfig::optimizer, "adam | adamw | sgd (momentum 0.9) (reference: adam)", true},
        {"optim", "lr", &TrainConfig::lr, "peak learning rate (reference: 8e-4)", true},
        {"optim", "weight_decay", &TrainConfig::weightDecay, "weight decay (reference: 0)", true},
        {"optim", "schedule", &TrainConfig::schedule,
         "reference (exp warm-up, linear ramp-down) | cosine | constant", true},
        {"optim", "warmup_epochs", &TrainConfig::warmupEpochs, "warm-up length in epochs (reference: 8)",
         true},
        {"optim", "rampdown_start", &TrainConfig::rampdownStart,
         "epoch where the ramp-down starts (reference: 80)", true},
        {"optim", "rampdown_epochs", &TrainConfig::rampdownEpochs,
         "ramp-down length in epochs (reference: 95)", true},
        {"optim", "rampdown_final", &TrainConfig::rampdownFinal,
         "final learning-rate factor (reference: 0.01)", true},
        {"optim", "grad_clip", &TrainConfig::gradClip, "gradient norm clipping, 0 = off (reference: 5)",
         true},
        {"train", "epochs", &TrainConfig::epochs, "number of epochs", true},
        {"train", "batch_size", &TrainConfig::batchSize, "clips per step", true},
        {"train", "samples_per_epoch", &TrainConfig::samplesPerEpoch,
         "clips drawn per epoch (0: one pass over the training clips)", true},
        {"train", "seed", &TrainConfig::seed, "random seed: same seed, same curve (reference: 42)", true},
        {"train", "device", &TrainConfig::device, "auto | cpu | cuda | cuda:N", false},
        {"train", "mixup", &TrainConfig::mixup, "mixup alpha, 0 = off (reference distillation: off)", true},
        {"train", "specaugment", &TrainConfig::specAugment, "SpecAugment masks (reference distillation: off)",
         true},
        {"train", "freq_mask", &TrainConfig::freqMask, "SpecAugment frequency mask width (mel bins)", true},
        {"train", "time_mask", &TrainConfig::timeMask, "SpecAugment time mask width (frames)", true},
        {"train", "checkpoint_every", &TrainConfig::checkpointEvery,
         "steps between checkpoints (also at each epoch end)", false},
        {"train", "log_every", &TrainConfig::logEvery, "steps between logged training-loss points", false},
        {"train", "precise_bn", &TrainConfig::preciseBn,
         "training clips used to re-estimate batch-norm statistics before each validation, 0 = off "
         "(reference: off; "
         "with BN momentum 0.01, short runs need it for a faithful validation)",
         true},
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

void TrainConfig::validate() const
{
    auto fail = [](const std::string& m) { throw InputError("config: " + m); };
    if (valFraction < 0 || valFraction > 0.5)
        fail("data.val_fraction must be in [0, 0.5], got " + std::to_string(valFraction));
    if (clipSeconds < 1 || clipSeconds > 60)
        fail("data.clip_seconds must be in [1, 60], got " + std::to_string(clipSeconds));
    if (workers < 0 || workers > 64)
        fail("data.workers must be in [0, 64]");
    if (width <= 0 || width > 8)
        fail("student.width must be in (0, 8], got " + std::to_string(width));
    if (mChannels < 2 || mChannels > 256 || mChannels % 2 != 0)
        fail("student.m_channels must be even, in [2, 256]");
    if (headHidden < 1)
        fail("head.hidden must be positive");
    if (headDropout < 0 || headDropout >= 1)
        fail("head.dropout must be in [0, 1)");
    static const std::vector<std::string> losses{"cosine", "mse", "l1", "kl", "clap", "cluster_contrastive"};
    if (std::find(losses.begin(), losses.end(), loss) == losses.end())
        fail("loss.kind '" + loss + "' is not one of cosine, mse, l1, kl, clap, cluster_contrastive");
    if (temperature <= 0)
        fail("loss.temperature must be positive");
    if (sampler != "uniform" && sampler != "balanced")
        fail("sampler.kind must be uniform or balanced, got '" + sampler + "'");
    if ((sampler == "balanced" || loss == "cluster_contrastive") && clustering <= 0)
        fail("sampler.clustering must name a clustering (see `ssondo cluster`) for the balanced sampler and "
             "the "
             "cluster_contrastive loss");
    if (optimizer != "adam" && optimizer != "adamw" && optimizer != "sgd")
        fail("optim.optimizer must be adam, adamw or sgd, got '" + optimizer + "'");
    if (!(lr > 0 && lr < 1))
        fail("optim.lr must be in (0, 1), got " + std::to_string(lr));
    if (weightDecay < 0)
        fail("optim.weight_decay must be >= 0");
    if (schedule != "reference" && schedule != "cosine" && schedule != "constant")
        fail("optim.schedule must be reference, cosine or constant, got '" + schedule + "'");
    if (warmupEpochs < 0 || rampdownStart < 0 || rampdownEpochs <= 0)
        fail("optim warm-up/ramp-down epochs must be >= 0");
    if (rampdownFinal <= 0 || rampdownFinal > 1)
        fail("optim.rampdown_final must be in (0, 1]");
    if (gradClip < 0)
        fail("optim.grad_clip must be >= 0");
    if (epochs < 1 || epochs > 100000)
        fail("train.epochs must be in [1, 100000], got " + std::to_string(epochs));
    if (batchSize < 1 || batchSize > 65536)
        fail("train.batch_size must be in [1, 65536], got " + std::to_string(batchSize));
    if (samplesPerEpoch < 0)
        fail("train.samples_per_epoch must be >= 0");
    if (seed < 0)
        fail("train.seed must be >= 0");
    if (mixup < 0)
        fail("train.mixup must be >= 0");
    if (freqMask < 0 || timeMask < 0)
        fail("train.freq_mask and train.time_mask must be >= 0");
    if (checkpointEvery < 1 || logEvery < 1)
        fail("train.checkpoint_every and train.log_every must be >= 1");
    if (preciseBn < 0)
        fail("train.precise_bn must be >= 0");
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
            s << "# " << f.doc << "\n";
        s << f.key << " = " << formatValue(*this, f) << "\n";
    }
    return s.str();
}

std::string TrainConfig::hash() const
{
    Fnv1a64 h;
    for (const auto& f : fields())
        if (f.identity) {
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
