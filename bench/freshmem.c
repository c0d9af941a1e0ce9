/* freshmem.c — how fast this machine gives a process fresh memory: maps MB of anonymous memory (with huge
 * pages asked for, or with "small" plain 4 KiB pages), writes one byte per 4 KiB page, unmaps it, ROUNDS
 * times in one process, and prints each round's rate, then the rate of writing over memory the process
 * already holds. The first round takes pages the system has not handed out lately (on a VM whose balloon
 * reports free pages to the host, the host must back them again); the later rounds get the pages the first
 * one gave back.
 *
 * usage: bench-freshmem [MB [ROUNDS [huge|small]]]  (default 1024 MB, 4 rounds, huge) */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
    long mb = argc > 1 ? strtol(argv[1], NULL, 10) : 1024;
    long rounds = argc > 2 ? strtol(argv[2], NULL, 10) : 4;
    const char *pages = argc > 3 ? argv[3] : "huge";
    int huge = strcmp(pages, "huge") == 0;
    if (mb <= 0 || mb > (1L << 20) || rounds <= 0 || rounds > 100 || (!huge && strcmp(pages, "small") != 0)) {
        fprintf(stderr, "usage: bench-freshmem [MB [ROUNDS [huge|small]]]\n");
        return 2;
    }
    size_t size = (size_t)mb << 20;
    printf("fresh memory, %s pages, %ld MB a round, one byte written per 4 KiB (GB/s):", huge ? "huge" : "4 KiB", mb);
    double warm = 0;
    for (long r = 0; r < rounds; r++) {
        char *p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (p == MAP_FAILED) {
            perror("bench-freshmem: mmap");
            return 1;
        }
        if (huge)
            madvise(p, size, MADV_HUGEPAGE);
        double started = now();
        for (size_t at = 0; at < size; at += 4096)
            p[at] = 1;
        double touched = now();
        printf(" %.2f", (double)size / (touched - started) / 1e9);
        if (r == rounds - 1) {
            memset(p, 2, size);
            warm = (double)size / (now() - touched) / 1e9;
        }
        munmap(p, size);
    }
    printf("; memset over held memory %.2f\n", warm);
    return 0;
}
