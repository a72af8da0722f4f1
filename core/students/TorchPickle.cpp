// SPDX-License-Identifier: GPL-3.0-or-later
#include "students/TorchPickle.h"

#include "util/Error.h"

#include <ATen/ATen.h>
#include <caffe2/serialize/inline_container.h>

#include <cstring>
#include <functional>
#include <memory>
#include <unordered_map>
#include <variant>
#include <vector>

namespace ssondo {

namespace {

struct Value;
using ValuePtr = std::shared_ptr<Value>;

/// The pickle values a state dict needs.
struct Value
{
    enum class Kind { None, Bool, Int, Float, String, Tuple, List, Dict, Tensor, Global, Mark };
    Kind kind = Kind::None;
    std::int64_t i = 0;
    double f = 0;
    std::string s;                                   // String; Global: "module name"
    std::vector<ValuePtr> items;                     // Tuple, List
    std::vector<std::pair<ValuePtr, ValuePtr>> dict; // Dict (ordered)
    at::Tensor tensor;
};

ValuePtr make(Value::Kind k)
{
    auto v = std::make_shared<Value>();
    v->kind = k;
    return v;
}

class Unpickler
{
public:
    Unpickler(const std::string& bytes, caffe2::serialize::PyTorchStreamReader& zip, std::string path)
        : m_b(bytes), m_zip(zip), m_path(std::move(path))
    {
    }

    // Long on purpose: one case per pickle opcode: an interpreter's dispatch reads best as one switch.
    ValuePtr run()
    {
        for (;;) {
            const auto op = std::uint8_t(next(1)[0]);
            switch (op) {
            case 0x80:
                next(1);
                break; // PROTO
            case 0x95:
                next(8);
                break; // FRAME
            case '.':
                return pop(); // STOP
            case '(':
                m_marks.push_back(m_stack.size());
                break; // MARK
            case 'N':
                m_stack.push_back(make(Value::Kind::None));
                break;
            case 0x88:
            case 0x89: {
                auto v = make(Value::Kind::Bool);
                v->i = op == 0x88;
                m_stack.push_back(v);
                break;
            }
            case 'K':
                pushInt(std::uint8_t(next(1)[0]));
                break; // BININT1
            case 'M': {
                auto p = next(2);
                pushInt(std::uint8_t(p[0]) | (std::uint8_t(p[1]) << 8));
                break;
            }
            case 'J': {
                std::int32_t v;
                std::memcpy(&v, next(4), 4);
                pushInt(v);
                break;
            }
            case 0x8a: { // LONG1
                const int n = std::uint8_t(next(1)[0]);
                const char* p = next(size_t(n));
                std::int64_t v = 0;
                for (int k = n - 1; k >= 0; --k)
                    v = (v << 8) | std::uint8_t(p[k]);
                if (n > 0 && n < 8 && (std::uint8_t(p[n - 1]) & 0x80))
                    v -= std::int64_t(1) << (8 * n);
                pushInt(v);
                break;
            }
            case 'G': { // BINFLOAT (big-endian)
                const char* p = next(8);
                std::uint64_t u = 0;
                for (int k = 0; k < 8; ++k)
                    u = (u << 8) | std::uint8_t(p[k]);
                auto v = make(Value::Kind::Float);
                std::memcpy(&v->f, &u, 8);
                m_stack.push_back(v);
                break;
            }
            case 'X': {
                std::uint32_t n;
                std::memcpy(&n, next(4), 4);
                pushString(next(n), n);
                break;
            }
            case 0x8c: { // SHORT_BINUNICODE
                const auto n = std::uint8_t(next(1)[0]);
                pushString(next(n), n);
                break;
            }
            case 0x8d: { // BINUNICODE8 (protocol 4)
                std::uint64_t n;
                std::memcpy(&n, next(8), 8);
                pushString(next(std::size_t(n)), std::size_t(n));
                break;
            }
            case 0x93: { // STACK_GLOBAL (protocol 4): module and name from the stack
                const ValuePtr name = pop(), module = pop();
                if (name->kind != Value::Kind::String || module->kind != Value::Kind::String)
                    fail("STACK_GLOBAL needs two strings");
                auto v = make(Value::Kind::Global);
                v->s = module->s + " " + name->s;
                m_stack.push_back(v);
                break;
            }
            case 0x94: // MEMOIZE (protocol 4): the top of the stack under the next memo index
                m_memo[std::uint32_t(m_memo.size())] = top();
                break;
            case 'c': { // GLOBAL module\nname\n
                auto v = make(Value::Kind::Global);
                const std::string module = line(); // two statements: operand order of + is unspecified
                v->s = module + " " + line();
                m_stack.push_back(v);
                break;
            }
            case 'q':
                m_memo[std::uint8_t(next(1)[0])] = top();
                break; // BINPUT
            case 'r': {
                std::uint32_t n;
                std::memcpy(&n, next(4), 4);
                m_memo[n] = top();
                break;
            }
            case 'h':
                m_stack.push_back(memo(std::uint8_t(next(1)[0])));
                break;
            case 'j': {
                std::uint32_t n;
                std::memcpy(&n, next(4), 4);
                m_stack.push_back(memo(n));
                break;
            }
            case ')':
                m_stack.push_back(make(Value::Kind::Tuple));
                break;
            case 't': {
                auto v = make(Value::Kind::Tuple);
                v->items = popToMark();
                m_stack.push_back(v);
                break;
            }
            case 0x85:
            case 0x86:
            case 0x87: {
                auto v = make(Value::Kind::Tuple);
                v->items.resize(size_t(op - 0x84));
                for (size_t k = v->items.size(); k-- > 0;)
                    v->items[k] = pop();
                m_stack.push_back(v);
                break;
            }
            case ']':
                m_stack.push_back(make(Value::Kind::List));
                break;
            case 'a': {
                auto x = pop();
                top()->items.push_back(x);
                break;
            }
            case 'e': {
                auto xs = popToMark();
                auto& l = top()->items;
                l.insert(l.end(), xs.begin(), xs.end());
                break;
            }
            case '}':
                m_stack.push_back(make(Value::Kind::Dict));
                break;
            case 's': {
                auto v = pop();
                auto k = pop();
                top()->dict.emplace_back(k, v);
                break;
            }
            case 'u': {
                auto xs = popToMark();
                for (size_t k = 0; k + 1 < xs.size(); k += 2)
                    top()->dict.emplace_back(xs[k], xs[k + 1]);
                break;
            }
            case 'b':
                pop();
                break; // BUILD: attributes (_metadata): ignored
            case 'Q':
                m_stack.push_back(persistent(pop()));
                break; // BINPERSID
            case 'R': {
                auto args = pop();
                auto fn = pop();
                m_stack.push_back(call(fn, args));
                break;
            }
            default:
                fail("unsupported pickle opcode 0x" + hex(op));
            }
        }
    }

private:
    [[noreturn]] void fail(const std::string& why) const
    {
        throw InputError(m_path + ": cannot read this torch.save file (" + why + ")");
    }
    static std::string hex(unsigned v)
    {
        char b[8];
        std::snprintf(b, sizeof b, "%02x", v);
        return b;
    }
    const char* next(size_t n)
    {
        if (m_pos + n > m_b.size())
            fail("truncated pickle");
        const char* p = m_b.data() + m_pos;
        m_pos += n;
        return p;
    }
    std::string line()
    {
        const size_t e = m_b.find('\n', m_pos);
        if (e == std::string::npos)
            fail("truncated pickle");
        std::string s = m_b.substr(m_pos, e - m_pos);
        m_pos = e + 1;
        return s;
    }
    void pushInt(std::int64_t v)
    {
        auto x = make(Value::Kind::Int);
        x->i = v;
        m_stack.push_back(x);
    }
    void pushString(const char* p, size_t n)
    {
        auto x = make(Value::Kind::String);
        x->s.assign(p, n);
        m_stack.push_back(x);
    }
    ValuePtr top()
    {
        if (m_stack.empty())
            fail("stack underflow");
        return m_stack.back();
    }
    ValuePtr pop()
    {
        auto v = top();
        m_stack.pop_back();
        return v;
    }
    ValuePtr memo(std::uint32_t k)
    {
        auto it = m_memo.find(k);
        if (it == m_memo.end())
            fail("bad memo reference");
        return it->second;
    }
    std::vector<ValuePtr> popToMark()
    {
        if (m_marks.empty())
            fail("missing mark");
        const size_t m = m_marks.back();
        m_marks.pop_back();
        std::vector<ValuePtr> out(m_stack.begin() + long(m), m_stack.end());
        m_stack.resize(m);
        return out;
    }

    ValuePtr persistent(const ValuePtr& pid)
    {
        // ('storage', <storage class>, key, location, numel)
        if (pid->kind != Value::Kind::Tuple || pid->items.size() < 5 || pid->items[0]->s != "storage")
            fail("unknown persistent id");
        const std::string type = pid->items[1]->s; // "torch FloatStorage"
        static const std::unordered_map<std::string, at::ScalarType> types{
            {"torch FloatStorage", at::kFloat}, {"torch DoubleStorage", at::kDouble},
            {"torch HalfStorage", at::kHalf},   {"torch BFloat16Storage", at::kBFloat16},
            {"torch LongStorage", at::kLong},   {"torch IntStorage", at::kInt},
            {"torch ShortStorage", at::kShort}, {"torch CharStorage", at::kChar},
            {"torch ByteStorage", at::kByte},   {"torch BoolStorage", at::kBool}};
        auto it = types.find(type);
        if (it == types.end())
            fail("unsupported storage type '" + type + "'");
        const std::string key = pid->items[2]->s;
        const std::int64_t numel = pid->items[4]->i;
        // A storage shared by several tensors (views, tied weights) is named once per tensor: read
        // it once.
        if (auto cached = m_storages.find(key); cached != m_storages.end())
            return cached->second;
        auto [data, size] = m_zip.getRecord("data/" + key);
        const size_t need = size_t(numel) * at::elementSize(it->second);
        if (size < need)
            fail("storage " + key + " is truncated");
        auto v = make(Value::Kind::Tensor);
        v->tensor = at::empty({numel}, at::TensorOptions().dtype(it->second));
        std::memcpy(v->tensor.data_ptr(), data.get(), need);
        m_storages.emplace(key, v);
        return v;
    }

    static std::vector<std::int64_t> ints(const ValuePtr& t)
    {
        std::vector<std::int64_t> out;
        for (const auto& x : t->items)
            out.push_back(x->i);
        return out;
    }

    ValuePtr call(const ValuePtr& fn, const ValuePtr& args)
    {
        const std::string& name = fn->s;
        if (name == "collections OrderedDict" || name == "builtins dict")
            return make(Value::Kind::Dict);
        if (name == "torch._utils _rebuild_tensor_v2" || name == "torch._utils _rebuild_tensor") {
            const auto& a = args->items;
            if (a.size() < 4 || a[0]->kind != Value::Kind::Tensor)
                fail("bad tensor record");
            auto v = make(Value::Kind::Tensor);
            v->tensor = a[0]->tensor.as_strided(ints(a[2]), ints(a[3]), a[1]->i).clone();
            return v;
        }
        if (name == "torch._utils _rebuild_parameter" ||
            name == "torch._utils _rebuild_parameter_with_state" ||
            name == "torch.jit._pickle restore_type_tag") // LibTorch's pickler tags typed dicts
            return args->items.at(0);
        fail("unsupported object '" + name + "'");
    }

    const std::string& m_b;
    size_t m_pos = 0;
    caffe2::serialize::PyTorchStreamReader& m_zip;
    std::string m_path;
    std::vector<ValuePtr> m_stack;
    std::vector<size_t> m_marks;
    std::unordered_map<std::uint32_t, ValuePtr> m_memo;
    std::unordered_map<std::string, ValuePtr> m_storages; ///< by record key
};

void flatten(const ValuePtr& v, const std::string& prefix, std::map<std::string, at::Tensor>& out)
{
    if (v->kind == Value::Kind::Tensor) {
        out[prefix] = v->tensor;
        return;
    }
    if (v->kind == Value::Kind::Dict)
        for (const auto& [k, x] : v->dict)
            if (k->kind == Value::Kind::String)
                flatten(x, prefix.empty() ? k->s : prefix + "." + k->s, out);
}

} // namespace

std::map<std::string, at::Tensor> readTorchSaveTensors(const std::string& path)
{
    std::unique_ptr<caffe2::serialize::PyTorchStreamReader> zip;
    try {
        zip = std::make_unique<caffe2::serialize::PyTorchStreamReader>(path);
    } catch (const std::exception& e) {
        throw InputError(path + ": not a torch.save file (" + std::string(e.what()).substr(0, 120) + ")");
    }
    if (!zip->hasRecord("data.pkl"))
        throw InputError(path + ": not a torch.save file (no data.pkl; a TorchScript module?)");
    auto [data, size] = zip->getRecord("data.pkl");
    const std::string bytes(static_cast<const char*>(data.get()), size);
    std::map<std::string, at::Tensor> out;
    flatten(Unpickler(bytes, *zip, path).run(), "", out);
    return out;
}

} // namespace ssondo
