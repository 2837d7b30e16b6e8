// Start-up of the editor: from launch to the Demo environment's table filled, as a user meets it, against a floor.
// Runs the real autoclose-editor with --quit-after-load (it exits as soon as the first load has finished and the
// table is painted) and bench_startup_floor (a bare Qt Widgets program showing a 24 × 6 table, quitting the same
// way), alternately, the same number of times, and measures each run's wall time (launch to exit, so an upper bound)
// and peak resident memory (the kernel's ru_maxrss of the child). The first run of each (the editor's seeds a new
// demo data directory) is shown apart; the medians are over the runs after it. The floor is what Qt and the machine
// cost whatever the editor does, so the ratio says what the editor adds, on any machine.
// Targets: editor median <= 1.5 × floor median, editor peak <= 80 MiB; the exit code is 2 when one is not met.
// The platform is the environment's (xvfb-run for a real X server, as .ci/run does).
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

Run launch(const QList<const char *> &args)
{
    Run run;
    QElapsedTimer timer;
    timer.start();
    const pid_t pid = fork();
    if (pid == 0) {
        QList<const char *> argv = args;
        argv << nullptr;
        execv(argv.at(0), const_cast<char **>(argv.data()));
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

// The runs of one program after its first.
struct Series
{
    const char *name;
    Run first;
    QList<double> times;
    QList<double> peaks;

    double medianMs() const { return median(times); }
    double minMs() const { return *std::min_element(times.begin(), times.end()); }
    double maxMs() const { return *std::max_element(times.begin(), times.end()); }
    double maxPeak() const { return *std::max_element(peaks.begin(), peaks.end()); }
};

bool add(Series &series, const Run &run, int index)
{
    if (run.exitCode != 0) {
        std::fprintf(stderr, "bench_startup: %s run %d exited with %d\n", series.name, index, run.exitCode);
        return false;
    }
    series.times << run.ms;
    series.peaks << run.peakMiB;
    return true;
}
} // namespace

int main(int argc, char *argv[])
{
    const int runs = argc > 1 ? std::max(1, std::atoi(argv[1])) : 15;
    QTemporaryDir dir;
    const QByteArray dataDir = dir.path().toLocal8Bit() + "/demo";
    const char *platform = std::getenv("QT_QPA_PLATFORM");
    const char *display = std::getenv("DISPLAY");
    const QList<const char *> editorArgs = {AUTOCLOSE_EDITOR_BIN, "--demo-data-dir", dataDir.constData(),
                                            "--quit-after-load"};
    const QList<const char *> floorArgs = {AUTOCLOSE_STARTUP_FLOOR_BIN};

    Series floor {"bench_startup_floor", launch(floorArgs), {}, {}};
    if (floor.first.exitCode != 0) {
        std::fprintf(stderr, "bench_startup: bench_startup_floor exited with %d\n", floor.first.exitCode);
        return 1;
    }
    Series editor {"autoclose-editor", launch(editorArgs), {}, {}};
    if (editor.first.exitCode != 0) {
        std::fprintf(stderr, "bench_startup: autoclose-editor --quit-after-load exited with %d\n",
                     editor.first.exitCode);
        return 1;
    }
    // Alternately, each going first every other time, so that neither gains from what the other warmed.
    for (int i = 0; i < runs; ++i) {
        const bool floorFirst = i % 2 == 0;
        const Run a = launch(floorFirst ? floorArgs : editorArgs);
        const Run b = launch(floorFirst ? editorArgs : floorArgs);
        if (!add(floorFirst ? floor : editor, a, i + 1) || !add(floorFirst ? editor : floor, b, i + 1))
            return 1;
    }

    const double ratio = editor.medianMs() / floor.medianMs();
    const bool fastEnough = ratio <= 1.5;
    const bool smallEnough = editor.maxPeak() <= 80;
    std::printf("autoclose-editor start-up benchmark (%d runs each, alternately; platform %s%s%s)\n", runs,
                platform ? platform : "default", display ? ", DISPLAY " : "", display ? display : "");
    std::printf("  floor, first run                        %7.1f ms  %6.1f MiB\n", floor.first.ms, floor.first.peakMiB);
    std::printf("  editor, first run (seeds the demo data) %7.1f ms  %6.1f MiB\n", editor.first.ms,
                editor.first.peakMiB);
    std::printf("  floor: launch to table shown, median    %7.1f ms  (min %.1f, max %.1f)\n", floor.medianMs(),
                floor.minMs(), floor.maxMs());
    std::printf("  editor: launch to table filled, median  %7.1f ms  (min %.1f, max %.1f)\n", editor.medianMs(),
                editor.minMs(), editor.maxMs());
    std::printf("  editor / floor, medians                 %7.2f\n", ratio);
    std::printf("  peak memory, largest run: floor         %7.1f MiB\n", floor.maxPeak());
    std::printf("  peak memory, largest run: editor        %7.1f MiB\n", editor.maxPeak());
    std::printf("  target: editor median <= 1.5 x floor median: %s; editor peak <= 80 MiB: %s\n",
                fastEnough ? "met" : "NOT met", smallEnough ? "met" : "NOT met");
    return fastEnough && smallEnough ? 0 : 2;
}
