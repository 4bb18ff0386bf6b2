// Raw nng PUSH/PULL over tcp:// loopback, 256 KiB messages, with the sender and the receiver each spinning a given
// number of microseconds per message (standing in for a codec's encode and decode work, without its memory traffic).
// Prints MB/s for each of RUNS fresh connections: how much of the transport benchmark's tcp 256 KiB spread is the
// loopback's own (docs/PERFORMANCE.md).
//
//   cc -O2 -o /tmp/nng_tcp_spin scripts/nng_tcp_spin.c -lnng -lpthread
//   /tmp/nng_tcp_spin SEND_US RECV_US [RUNS]
#include <nng/nng.h>
#include <nng/protocol/pipeline0/pull.h>
#include <nng/protocol/pipeline0/push.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

enum { MESSAGES = 512, SIZE = 256 << 10 };

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec * 1e-9;
}

static void spin(double us) {
    const double end = now() + us * 1e-6;
    while (us > 0 && now() < end) {}
}

static double receive_us;

static void *receive(void *socket) {
    for (int i = 0; i < MESSAGES; i++) {
        nng_msg *m;
        if (nng_recvmsg(*(nng_socket *)socket, &m, 0) != 0) abort();
        spin(receive_us);
        nng_msg_free(m);
    }
    return NULL;
}

int main(int argc, char **argv) {
    if (argc < 3) {
        fprintf(stderr, "usage: %s SEND_US RECV_US [RUNS]\n", argv[0]);
        return 2;
    }
    const double send_us = atof(argv[1]);
    receive_us = atof(argv[2]);
    const int runs = argc > 3 ? atoi(argv[3]) : 10;
    unsigned char *payload = malloc(SIZE);
    memset(payload, 0xA5, SIZE);
    for (int run = 0; run < runs; run++) {
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
        pthread_t receiver;
        const double start = now();
        pthread_create(&receiver, NULL, receive, &pull);
        for (int i = 0; i < MESSAGES; i++) {
            nng_msg *m;
            if (nng_msg_alloc(&m, SIZE) != 0) abort();
            memcpy(nng_msg_body(m), payload, SIZE);
            spin(send_us);
            if (nng_sendmsg(push, m, 0) != 0) abort();
        }
        pthread_join(receiver, NULL);
        printf("%.0f ", (double)MESSAGES * SIZE / (now() - start) / 1e6);
        fflush(stdout);
        nng_close(push);
        nng_close(pull);
    }
    printf("\n");
    free(payload);
    return 0;
}
