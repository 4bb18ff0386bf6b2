// Raw nng PUSH/PULL over tcp:// loopback with 256 KiB messages, where each side does a given piece of work per
// message: nothing (raw nng), a spin of some µs, or the CRC32C the Protocol path does there — so that how much of
// the transport benchmark's tcp 256 KiB gap is the checksum's own arithmetic, and how much the loopback's reaction
// to a few µs more on one side, can be seen without Swift, frames or decoding (docs/PERFORMANCE.md).
//
//   clang -O2 -I Sources/CCRC32C -o /tmp/nng_tcp_spin scripts/nng_tcp_spin.c -lnng -lpthread
//   /tmp/nng_tcp_spin ROUNDS SETTING...          e.g. /tmp/nng_tcp_spin 12 none 4 crc128 crc512 none:crc128
//
// A SETTING is SEND[:RECEIVE], each side one of
//   none     nothing more: the sender copies a ready buffer into the message (as nng_send does), the receiver frees it
//   N        spin N µs (a number) after that
//   crc128   CRC32C of the message with the 128-bit hybrid path (what CPUs without VPCLMULQDQ run), the sender
//            after copying — the narrowest path of the frame encoder and decoder; its block split is
//            CRC128_SPLIT=FOLD:STREAM bytes (default 1536:1536, what grpo-lambda times fastest on Zen 5; bench_cpu.sh
//            passes the split the transport benchmark reports for the host)
//   crc512   the 512-bit fold (AVX-512 VPCLMULQDQ), the sender copying and checksumming in one pass
// Settings alternate connection by connection, ROUNDS fresh connections each, so that the machine's drift between
// minutes moves them alike; prints each setting's median, quartiles and range in MB/s.
//
// glibc's malloc is set to serve the messages from its heap (as it does in the Swift benchmark's process): with its
// default thresholds this program measured ~2 GB/s raw while the Swift benchmark's raw nng ran at ~3.5 in the same
// minutes (2026-11-29, Zen 5).
#include "CCRC32C.h"

#include <malloc.h>
#include <nng/nng.h>
#include <nng/protocol/pipeline0/pull.h>
#include <nng/protocol/pipeline0/push.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

enum { MESSAGES = 512, SIZE = 256 << 10, MAX_SETTINGS = 16 };

typedef struct {
    enum { NONE, SPIN, CRC128, CRC512 } kind;
    double spin_us;
} work;

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec * 1e-9;
}

static ccrc32c_split split128;
static volatile uint32_t sink;

static int parse(const char *text, size_t length, work *w) {
    char name[32];
    if (length == 0 || length >= sizeof name) return 0;
    memcpy(name, text, length);
    name[length] = 0;
    if (!strcmp(name, "none")) *w = (work){NONE, 0};
    else if (!strcmp(name, "crc128")) *w = (work){CRC128, 0};
    else if (!strcmp(name, "crc512")) {
        if (!ccrc32c_vpclmul_available()) return fprintf(stderr, "crc512: this CPU has no AVX-512 VPCLMULQDQ\n"), 0;
        *w = (work){CRC512, 0};
    } else {
        char *end;
        const double us = strtod(name, &end);
        if (*end || us < 0) return 0;
        *w = (work){SPIN, us};
    }
    return 1;
}

// The work one side does on a message body that is already in place.
static void perform(work w, const unsigned char *body) {
    switch (w.kind) {
    case NONE: break;
    case SPIN: {
        const double end = now() + w.spin_us * 1e-6;
        while (now() < end) {}
        break;
    }
    case CRC128: sink = ccrc32c_update_hardware(0, body, SIZE, split128); break;
    case CRC512: sink = ccrc32c_update_vpclmul(0, body, SIZE); break;
    }
}

typedef struct {
    nng_socket socket;
    work work;
} receiver_job;

static void *receive(void *argument) {
    const receiver_job *job = argument;
    for (int i = 0; i < MESSAGES; i++) {
        nng_msg *m;
        if (nng_recvmsg(job->socket, &m, 0) != 0) abort();
        perform(job->work, nng_msg_body(m));
        nng_msg_free(m);
    }
    return NULL;
}

// MB/s of one fresh connection.
static double transfer(const unsigned char *payload, work send, work receive_work) {
    nng_socket push, pull;
    nng_listener listener;
    int port;
    char url[64];
    if (nng_pull0_open(&pull) || nng_push0_open(&push) || nng_setopt_size(pull, NNG_OPT_RECVMAXSZ, 64 << 20) ||
        nng_listen(pull, "tcp://127.0.0.1:0", &listener, 0) ||
        nng_listener_get_int(listener, NNG_OPT_TCP_BOUND_PORT, &port))
        abort();
    snprintf(url, sizeof url, "tcp://127.0.0.1:%d", port);
    if (nng_dial(push, url, NULL, 0) != 0) abort();
    receiver_job job = {pull, receive_work};
    pthread_t receiver;
    const double start = now();
    pthread_create(&receiver, NULL, receive, &job);
    for (int i = 0; i < MESSAGES; i++) {
        nng_msg *m;
        if (nng_msg_alloc(&m, SIZE) != 0) abort();
        unsigned char *body = nng_msg_body(m);
        if (send.kind == CRC512) {
            sink = ccrc32c_copy_update_vpclmul(0, body, payload, SIZE);
        } else {
            memcpy(body, payload, SIZE);
            perform(send, body);
        }
        if (nng_sendmsg(push, m, 0) != 0) abort();
    }
    pthread_join(receiver, NULL);
    const double rate = (double)MESSAGES * SIZE / (now() - start) / 1e6;
    nng_close(push);
    nng_close(pull);
    return rate;
}

static int ascending(const void *a, const void *b) {
    const double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

int main(int argc, char **argv) {
    const int rounds = argc > 2 ? atoi(argv[1]) : 0;
    const int settings = argc - 2;
    work send[MAX_SETTINGS], receive_work[MAX_SETTINGS];
    for (int s = 0; s < settings && s < MAX_SETTINGS; s++) {
        const char *text = argv[2 + s], *colon = strchr(text, ':');
        const size_t send_length = colon ? (size_t)(colon - text) : strlen(text);
        const char *receive_text = colon ? colon + 1 : "none";
        if (!parse(text, send_length, &send[s]) || !parse(receive_text, strlen(receive_text), &receive_work[s]))
            return fprintf(stderr, "bad setting %s\n", text), 2;
    }
    if (rounds < 1 || settings < 1 || settings > MAX_SETTINGS || !ccrc32c_hardware_available()) {
        fprintf(stderr, "usage: %s ROUNDS SETTING... (up to %d settings; SETTING = SEND[:RECEIVE], each none, a "
                        "number of µs to spin, crc128 or crc512; needs SSE4.2 and PCLMULQDQ)\n",
                argv[0], MAX_SETTINGS);
        return 2;
    }
    mallopt(M_MMAP_THRESHOLD, 32 << 20);
    mallopt(M_TRIM_THRESHOLD, 256 << 20);
    unsigned fold = 1536, stream = 1536;
    const char *split = getenv("CRC128_SPLIT");
    if (split && (sscanf(split, "%u:%u", &fold, &stream) != 2 || fold < 256 || fold % 128 || stream < 8 || stream % 8))
        return fprintf(stderr, "CRC128_SPLIT=%s: want FOLD:STREAM, FOLD a multiple of 128 from 256, STREAM of 8\n",
                       split), 2;
    split128 = ccrc32c_make_split(fold, stream);
    unsigned char *payload = malloc(SIZE);
    memset(payload, 0xA5, SIZE);
    double *rates = malloc(sizeof(double) * rounds * settings);
    for (int r = 0; r < rounds; r++)
        for (int s = 0; s < settings; s++) rates[s * rounds + r] = transfer(payload, send[s], receive_work[s]);
    printf("%-20s %8s %8s %8s %8s %8s   (MB/s over %d connections each)\n", "send:receive", "median", "q1", "q3",
           "min", "max", rounds);
    for (int s = 0; s < settings; s++) {
        double *v = rates + s * rounds;
        qsort(v, rounds, sizeof *v, ascending);
        const double median = rounds % 2 ? v[rounds / 2] : (v[rounds / 2 - 1] + v[rounds / 2]) / 2;
        printf("%-20s %8.0f %8.0f %8.0f %8.0f %8.0f\n", argv[2 + s], median, v[rounds / 4], v[(3 * rounds) / 4], v[0],
               v[rounds - 1]);
    }
    free(rates);
    free(payload);
    return 0;
}
