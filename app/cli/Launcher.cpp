// SPDX-License-Identifier: GPL-3.0-or-later
#include "cli/Launcher.h"

#include "util/Error.h"
#include "util/StopToken.h"
#include "util/Threads.h"

#include <arpa/inet.h>
#include <csignal>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <thread>

namespace ssondo::cli {

namespace {

/// A TCP port that is free now on the loopback interface (the kernel picks it).
int freePort()
{
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0)
        throw Error("cannot create a socket to find a free port");
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    a.sin_port = 0;
    socklen_t len = sizeof a;
    if (::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 ||
        ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len) != 0) {
        ::close(fd);
        throw Error("cannot find a free TCP port on 127.0.0.1");
    }
    ::close(fd);
    return ntohs(a.sin_port);
}

int exitCode(int status)
{
    if (WIFEXITED(status))
        return WEXITSTATUS(status);
    if (WIFSIGNALED(status))
        return 128 + WTERMSIG(status);
    return 1;
}

} // namespace

void execSelf(std::vector<std::string> args)
{
    std::vector<char*> cargs;
    for (auto& a : args)
        cargs.push_back(a.data());
    cargs.push_back(nullptr);
    ::execv("/proc/self/exe", cargs.data());
    std::perror("ssondo: exec failed");
    ::_exit(127);
}

std::vector<std::string> withoutNproc(const std::vector<std::string>& argv)
{
    std::vector<std::string> out;
    for (std::size_t i = 0; i < argv.size(); ++i) {
        if (argv[i] == "--nproc") {
            ++i; // and its value
            continue;
        }
        if (argv[i].rfind("--nproc=", 0) == 0)
            continue;
        out.push_back(argv[i]);
    }
    return out;
}

int launchLocal(const std::vector<std::string>& argv, int nproc, const StopToken& stop)
{
    const std::vector<std::string> base = withoutNproc(argv);
    const int port = freePort();
    const int threads = computeThreads(nproc);
    std::fprintf(stderr,
                 "ssondo: starting %d data-parallel processes (rendezvous 127.0.0.1:%d, %d thread%s each)\n",
                 nproc, port, threads, threads == 1 ? "" : "s");
    std::vector<pid_t> pids(std::size_t(nproc), -1);
    for (int r = 0; r < nproc; ++r) {
        std::vector<std::string> args = base;
        if (r > 0)
            args.insert(args.begin() + 1, "--quiet"); // one progress line: rank 0's
        const pid_t pid = ::fork();
        if (pid < 0)
            throw Error("cannot start rank " + std::to_string(r) + ": fork failed");
        if (pid == 0) {
            ::setenv("RANK", std::to_string(r).c_str(), 1);
            ::setenv("WORLD_SIZE", std::to_string(nproc).c_str(), 1);
            ::setenv("LOCAL_RANK", std::to_string(r).c_str(), 1);
            ::setenv("LOCAL_WORLD_SIZE", std::to_string(nproc).c_str(), 1);
            ::setenv("MASTER_ADDR", "127.0.0.1", 1);
            ::setenv("MASTER_PORT", std::to_string(port).c_str(), 1);
            ::setenv("OMP_NUM_THREADS", std::to_string(threads).c_str(), 1);
            execSelf(args);
        }
        pids[std::size_t(r)] = pid;
    }
    int result = 0, firstFailure = -1;
    bool forwarded = false;
    auto killOthers = [&](int sig) {
        for (pid_t p : pids)
            if (p > 0)
                ::kill(p, sig);
    };
    std::chrono::steady_clock::time_point killAt{};
    int running = nproc;
    while (running > 0) {
        int status = 0;
        const pid_t pid = ::waitpid(-1, &status, WNOHANG);
        if (pid > 0) {
            const auto it = std::find(pids.begin(), pids.end(), pid);
            if (it == pids.end())
                continue;
            const int rank = int(it - pids.begin());
            *it = -1;
            --running;
            const int code = exitCode(status);
            if (rank == 0 && firstFailure < 0)
                result = code;
            if (code != 0 && firstFailure < 0 && !stop.requested()) {
                firstFailure = rank;
                result = code;
                std::fprintf(stderr, "ssondo: rank %d exited with code %d; stopping the other ranks\n", rank,
                             code);
                killOthers(SIGTERM);
                killAt = std::chrono::steady_clock::now() + std::chrono::seconds(15);
            }
            continue;
        }
        if (stop.requested() && !forwarded) {
            killOthers(SIGINT); // each rank saves at the same step and exits
            forwarded = true;
        }
        // Ranks blocked in a collective with a dead peer do not see SIGTERM until its timeout.
        if (killAt != std::chrono::steady_clock::time_point{} && std::chrono::steady_clock::now() > killAt)
            killOthers(SIGKILL);
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return result;
}

} // namespace ssondo::cli
