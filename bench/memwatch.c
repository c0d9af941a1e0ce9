/* bench/memwatch.c — runs a command, samples its resident memory from /proc/PID/status, reports peaks, times and exit status in one line. */
/*
 * Usage: bench-memwatch [-o FILE] [-t SECONDS] [-v KB] [-i MS] [--] COMMAND [ARG...]
 *
 *   -o FILE     write the report to FILE (default standard error)
 *   -t SECONDS  kill the command (SIGKILL) after SECONDS of wall time
 *   -v KB       limit the command's address space (RLIMIT_AS) to KB kilobytes
 *   -i MS       sampling interval in milliseconds (default 2)
 *
 * The report is one line of key=value words:
 *
 *   memwatch status=exit:0 wall=0.123456 user=0.100 sys=0.020 peak_anon_kb=N peak_rss_kb=N
 *            peak_file_kb=N hwm_kb=N maxrss_kb=N samples=N
 *
 * status is exit:N, signal:N or timeout. peak_anon_kb, peak_file_kb and
 * peak_rss_kb are the highest RssAnon, RssFile and VmRSS seen in the samples;
 * hwm_kb is the last VmHWM sampled (the kernel's own peak of VmRSS) and
 * maxrss_kb wait4's ru_maxrss, and peak_rss_kb is raised to either when
 * higher, so that a peak between two samples still counts in it. RssAnon
 * has no kernel-kept peak: a peak shorter than the interval can be missed.
 * user and sys are the command's CPU seconds from wait4's rusage, wall its
 * seconds from fork to exit.
 *
 * Exit status: the command's; 128 + N when signal N killed it; 124 when it
 * timed out; 125 when memwatch itself failed; 127 when the command could not
 * be run.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

struct peaks {
    long anon_kb, file_kb, rss_kb, hwm_kb;
    long samples;
};

static void usage(void)
{
    fprintf(stderr, "usage: bench-memwatch [-o FILE] [-t SECONDS] [-v KB] [-i MS] [--] COMMAND [ARG...]\n");
    exit(125);
}

static double seconds_since(const struct timespec *start)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (double)(now.tv_sec - start->tv_sec) + (double)(now.tv_nsec - start->tv_nsec) / 1e9;
}

/* status_kb: the number after "KEY:" on a line of BUF (the kB of a Vm or Rss line), or -1. */
static long status_kb(const char *buf, const char *key)
{
    char pattern[32];
    snprintf(pattern, sizeof pattern, "\n%s:", key);
    const char *at = strstr(buf, pattern);
    return at ? strtol(at + strlen(pattern), NULL, 10) : -1;
}

/* sample: reads /proc/PID/status once and raises the peaks; a process that is
 * gone or a zombie (no Vm lines) leaves them as they are. */
static void sample(pid_t pid, struct peaks *p)
{
    char path[64], buf[4096];
    snprintf(path, sizeof path, "/proc/%ld/status", (long)pid);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return;
    ssize_t n = read(fd, buf, sizeof buf - 1);
    close(fd);
    if (n <= 0)
        return;
    buf[n] = '\0';
    long rss = status_kb(buf, "VmRSS");
    if (rss < 0)
        return;
    long anon = status_kb(buf, "RssAnon"), file = status_kb(buf, "RssFile"), hwm = status_kb(buf, "VmHWM");
    if (rss > p->rss_kb)
        p->rss_kb = rss;
    if (anon > p->anon_kb)
        p->anon_kb = anon;
    if (file > p->file_kb)
        p->file_kb = file;
    if (hwm > p->hwm_kb)
        p->hwm_kb = hwm;
    p->samples++;
}

static double timeval_seconds(struct timeval tv)
{
    return (double)tv.tv_sec + (double)tv.tv_usec / 1e6;
}

int main(int argc, char **argv)
{
    const char *report_path = NULL;
    double timeout = 0;
    long vmem_kb = 0, interval_ms = 2;
    int opt;
    while ((opt = getopt(argc, argv, "+o:t:v:i:")) != -1) {
        char *end;
        switch (opt) {
        case 'o':
            report_path = optarg;
            break;
        case 't':
            timeout = strtod(optarg, &end);
            if (*end || timeout < 0)
                usage();
            break;
        case 'v':
            vmem_kb = strtol(optarg, &end, 10);
            if (*end || vmem_kb <= 0)
                usage();
            break;
        case 'i':
            interval_ms = strtol(optarg, &end, 10);
            if (*end || interval_ms <= 0 || interval_ms > 1000)
                usage();
            break;
        default:
            usage();
        }
    }
    if (optind >= argc)
        usage();

    FILE *report = stderr;
    if (report_path && !(report = fopen(report_path, "we"))) {
        fprintf(stderr, "bench-memwatch: %s: %s\n", report_path, strerror(errno));
        return 125;
    }

    struct timespec start;
    clock_gettime(CLOCK_MONOTONIC, &start);
    pid_t pid = fork();
    if (pid < 0) {
        fprintf(stderr, "bench-memwatch: fork: %s\n", strerror(errno));
        return 125;
    }
    if (pid == 0) {
        if (vmem_kb > 0) {
            struct rlimit rl = { .rlim_cur = (rlim_t)vmem_kb * 1024, .rlim_max = (rlim_t)vmem_kb * 1024 };
            if (setrlimit(RLIMIT_AS, &rl) != 0) {
                fprintf(stderr, "bench-memwatch: setrlimit: %s\n", strerror(errno));
                _exit(125);
            }
        }
        execvp(argv[optind], argv + optind);
        fprintf(stderr, "bench-memwatch: %s: %s\n", argv[optind], strerror(errno));
        _exit(127);
    }

    struct peaks peaks = { 0 };
    struct rusage ru;
    int status = 0, timed_out = 0;
    const struct timespec pause = { .tv_sec = 0, .tv_nsec = interval_ms * 1000000L };
    for (;;) {
        sample(pid, &peaks);
        pid_t r = wait4(pid, &status, WNOHANG, &ru);
        if (r == pid)
            break;
        if (r < 0 && errno != EINTR) {
            fprintf(stderr, "bench-memwatch: wait4: %s\n", strerror(errno));
            return 125;
        }
        if (timeout > 0 && !timed_out && seconds_since(&start) >= timeout) {
            kill(pid, SIGKILL);
            timed_out = 1;
        }
        nanosleep(&pause, NULL);
    }
    double wall = seconds_since(&start);

    long maxrss_kb = ru.ru_maxrss;
    long rss_kb = peaks.rss_kb;
    if (peaks.hwm_kb > rss_kb)
        rss_kb = peaks.hwm_kb;
    if (maxrss_kb > rss_kb)
        rss_kb = maxrss_kb;

    char what[32];
    int code;
    if (timed_out) {
        snprintf(what, sizeof what, "timeout");
        code = 124;
    } else if (WIFSIGNALED(status)) {
        snprintf(what, sizeof what, "signal:%d", WTERMSIG(status));
        code = 128 + WTERMSIG(status);
    } else {
        snprintf(what, sizeof what, "exit:%d", WEXITSTATUS(status));
        code = WEXITSTATUS(status);
    }
    fprintf(report,
            "memwatch status=%s wall=%.6f user=%.3f sys=%.3f peak_anon_kb=%ld peak_rss_kb=%ld peak_file_kb=%ld"
            " hwm_kb=%ld maxrss_kb=%ld samples=%ld\n",
            what, wall, timeval_seconds(ru.ru_utime), timeval_seconds(ru.ru_stime), peaks.anon_kb, rss_kb,
            peaks.file_kb, peaks.hwm_kb, maxrss_kb, peaks.samples);
    if (report != stderr && fclose(report) != 0) {
        fprintf(stderr, "bench-memwatch: %s: %s\n", report_path, strerror(errno));
        return 125;
    }
    return code;
}
