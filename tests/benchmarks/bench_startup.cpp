// Start-up of the editor: from launch to the Demo environment's table filled, as a user meets it. Runs the real
// autoclose-editor with --quit-after-load (it exits as soon as the first load has finished) and measures each run's
// wall time (launch to exit, so an upper bound) and peak resident memory (the kernel's ru_maxrss of the child).
// The first run seeds a new demo data directory and is shown apart; the median is over the runs after it.
// Targets: median <= 250 ms, peak <= 80 MiB. The platform is the environment's (xvfb-run for a real X server).
#include <QByteArray>
#include <QElapsedTimer>
#include <QList>
#include <QTemporaryDir>

#include <algorithm>
#include <cstdio>
#include <cstdlib>

#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

namespace {
struct Run
{
    double ms = 0;
    double peakMiB = 0;
    int exitCode = -1;
};

Run launch(const QByteArray &dataDir)
{
    Run run;
    QElapsedTimer timer;
    timer.start();
    const pid_t pid = fork();
    if (pid == 0) {
        const char *argv[] = {AUTOCLOSE_EDITOR_BIN, "--demo-data-dir", dataDir.constData(), "--quit-after-load",
                              nullptr};
        execv(argv[0], const_cast<char **>(argv));
        _exit(127);
    }
    int status = 0;
    rusage usage {};
    if (pid < 0 || wait4(pid, &status, 0, &usage) != pid)
        return run;
    run.ms = double(timer.nsecsElapsed()) / 1e6;
    run.peakMiB = double(usage.ru_maxrss) / 1024.0; // KiB on Linux
    run.exitCode = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return run;
}

double median(QList<double> values)
{
    std::sort(values.begin(), values.end());
    return values.isEmpty() ? 0 : values.at(values.size() / 2);
}
} // namespace

int main(int argc, char *argv[])
{
    const int runs = argc > 1 ? std::max(1, std::atoi(argv[1])) : 15;
    QTemporaryDir dir;
    const QByteArray dataDir = dir.path().toLocal8Bit() + "/demo";
    const char *platform = std::getenv("QT_QPA_PLATFORM");
    const char *display = std::getenv("DISPLAY");

    const Run first = launch(dataDir);
    if (first.exitCode != 0) {
        std::fprintf(stderr, "bench_startup: autoclose-editor --quit-after-load exited with %d\n", first.exitCode);
        return 1;
    }
    QList<double> times;
    QList<double> peaks;
    for (int i = 0; i < runs; ++i) {
        const Run run = launch(dataDir);
        if (run.exitCode != 0) {
            std::fprintf(stderr, "bench_startup: run %d exited with %d\n", i + 1, run.exitCode);
            return 1;
        }
        times << run.ms;
        peaks << run.peakMiB;
    }
    const double medianMs = median(times);
    const double maxPeak = *std::max_element(peaks.begin(), peaks.end());
    std::printf("autoclose-editor start-up benchmark (%d runs; platform %s%s%s)\n", runs,
                platform ? platform : "default", display ? ", DISPLAY " : "", display ? display : "");
    std::printf("  first run (seeds the demo data)   %7.1f ms  %6.1f MiB\n", first.ms, first.peakMiB);
    std::printf("  launch to table filled, median    %7.1f ms  (min %.1f, max %.1f)\n", medianMs,
                *std::min_element(times.begin(), times.end()), *std::max_element(times.begin(), times.end()));
    std::printf("  peak memory, largest run          %7.1f MiB\n", maxPeak);
    std::printf("  target: median <= 250 ms: %s; peak <= 80 MiB: %s\n", medianMs <= 250 ? "met" : "NOT met",
                maxPeak <= 80 ? "met" : "NOT met");
    return 0;
}
