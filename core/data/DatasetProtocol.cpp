// SPDX-License-Identifier: GPL-3.0-or-later
#include "data/DatasetProtocol.h"

#include "util/Error.h"

#include <nlohmann/json.hpp>

namespace ssondo {

std::string DatasetProtocol::toJson() const
{
    if (empty())
        return {};
    nlohmann::json j{
        {"layout", layout}, {"evaluation", evaluation}, {"metric", metric}, {"multilabel", multiLabel},
        {"masked", masked}, {"classes", classes},       {"note", note}};
    return j.dump();
}

DatasetProtocol DatasetProtocol::fromJson(const std::string& json, const std::string& dataset)
{
    DatasetProtocol p;
    if (json.empty())
        return p;
    try {
        const auto j = nlohmann::json::parse(json);
        p.layout = j.value("layout", "");
        p.evaluation = j.value("evaluation", "");
        p.metric = j.value("metric", "");
        p.multiLabel = j.value("multilabel", false);
        p.masked = j.value("masked", false);
        p.classes = j.value("classes", std::vector<std::string>{});
        p.note = j.value("note", "");
    } catch (const nlohmann::json::exception& e) {
        throw InputError("dataset '" + dataset + "': its stored protocol is not valid JSON (" + e.what() +
                         ")");
    }
    return p;
}

} // namespace ssondo
