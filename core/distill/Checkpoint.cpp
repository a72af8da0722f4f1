// SPDX-License-Identifier: GPL-3.0-or-later
#include "distill/Checkpoint.h"

#include "util/AtomicFile.h"
#include "util/Error.h"

#include <torch/torch.h>

#include <sstream>

namespace ssondo {

void saveCheckpoint(const std::string& path, torch::nn::Module& student, torch::nn::Module& head,
                    torch::optim::Optimizer& optimizer, const TrainState& s)
{
    // Serialised to memory first: LibTorch's zip writer throws from a destructor when the disk fills
    // (std::terminate, a half-written file); our own checked writes report the error instead.
    std::ostringstream bytes;
    {
        torch::serialize::OutputArchive archive, studentArchive, headArchive, optimArchive;
        student.save(studentArchive);
        head.save(headArchive);
        optimizer.save(optimArchive);
        archive.write("student", studentArchive);
        archive.write("head", headArchive);
        archive.write("optimizer", optimArchive);
        archive.write("format", torch::tensor(std::int64_t(1)));
        archive.write("epoch", torch::tensor(s.epoch));
        archive.write("step_in_epoch", torch::tensor(s.stepInEpoch));
        archive.write("global_step", torch::tensor(s.globalStep));
        archive.write("best_val_cosine", torch::tensor(s.bestValCosine, torch::kDouble));
        archive.write("elapsed_seconds", torch::tensor(s.elapsedSeconds, torch::kDouble));
        archive.save_to(bytes);
    }
    try {
        writeFileAtomic(path, bytes.str());
    } catch (const std::exception& e) {
        throw Error(std::string("cannot write the checkpoint: ") + e.what());
    }
}

TrainState loadCheckpoint(const std::string& path, torch::nn::Module& student, torch::nn::Module& head,
                          torch::optim::Optimizer& optimizer)
{
    TrainState s;
    try {
        torch::serialize::InputArchive archive, studentArchive, headArchive, optimArchive;
        archive.load_from(path);
        archive.read("student", studentArchive);
        archive.read("head", headArchive);
        archive.read("optimizer", optimArchive);
        student.load(studentArchive);
        head.load(headArchive);
        optimizer.load(optimArchive);
        at::Tensor t;
        archive.read("epoch", t);
        s.epoch = t.item<std::int64_t>();
        archive.read("step_in_epoch", t);
        s.stepInEpoch = t.item<std::int64_t>();
        archive.read("global_step", t);
        s.globalStep = t.item<std::int64_t>();
        archive.read("best_val_cosine", t);
        s.bestValCosine = t.item<double>();
        archive.read("elapsed_seconds", t);
        s.elapsedSeconds = t.item<double>();
    } catch (const std::exception& e) {
        throw InputError(path + ": damaged or incompatible checkpoint (" +
                         std::string(e.what()).substr(0, 200) + ")");
    }
    return s;
}

void loadCheckpointWeights(const std::string& path, torch::nn::Module& student, torch::nn::Module& head)
{
    try {
        torch::serialize::InputArchive archive, studentArchive, headArchive;
        archive.load_from(path);
        archive.read("student", studentArchive);
        archive.read("head", headArchive);
        student.load(studentArchive);
        head.load(headArchive);
    } catch (const std::exception& e) {
        throw InputError(path + ": damaged or incompatible checkpoint (" +
                         std::string(e.what()).substr(0, 200) + ")");
    }
}

} // namespace ssondo
