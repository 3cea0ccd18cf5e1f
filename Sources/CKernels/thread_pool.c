// A small pool of helper threads for the kernels' fork-join loops (one GEMV per layer of a
// decoding step, 70 a token). Helpers spin for a short while after each job before they sleep, so
// back-to-back jobs start without a futex wake-up (tens of microseconds on a VM, comparable to a
// whole 2.4 MB GEMV); an idle process still sleeps.
//
// One job runs at a time. Its state is one 64-bit word, job id | task count | next task, claimed
// by compare-and-swap, so a helper that wakes late can never take a task of a newer job by mistake.
// A caller that finds the pool busy (another thread's job, or a nested call) runs its tasks itself.
#include "ckernels.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <time.h>

#define TASK_BITS 20
#define TASK_MASK ((1ull << TASK_BITS) - 1)
#define JOB_SHIFT (2 * TASK_BITS)
#define MAX_HELPERS 63
// How long a helper keeps spinning after its last task before it sleeps.
#define SPIN_NANOSECONDS 300000L

static inline void cpu_relax(void) {
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#elif defined(__aarch64__)
    __asm__ __volatile__("yield");
#endif
}

static inline uint64_t job_of(uint64_t word) { return word >> JOB_SHIFT; }
static inline uint64_t tasks_of(uint64_t word) { return (word >> TASK_BITS) & TASK_MASK; }
static inline uint64_t next_of(uint64_t word) { return word & TASK_MASK; }

static struct {
    pthread_mutex_t submit;
    pthread_mutex_t sleepLock;
    pthread_cond_t wake;
    pthread_mutex_t createLock;
    _Atomic uint64_t word;
    _Atomic long done;
    _Atomic int sleeping;
    _Atomic int helpersWanted;
    int helpers;
    khk_task_fn function;
    void *context;
} pool = {
    .submit = PTHREAD_MUTEX_INITIALIZER,
    .sleepLock = PTHREAD_MUTEX_INITIALIZER,
    .wake = PTHREAD_COND_INITIALIZER,
    .createLock = PTHREAD_MUTEX_INITIALIZER,
};

static long now_nanoseconds(void) {
    struct timespec time;
    clock_gettime(CLOCK_MONOTONIC, &time);
    return time.tv_sec * 1000000000L + time.tv_nsec;
}

// Claims and runs tasks of job `job` until none is left (or a newer job has replaced it).
static void run_tasks(uint64_t job) {
    uint64_t word = atomic_load_explicit(&pool.word, memory_order_acquire);
    while (job_of(word) == job && next_of(word) < tasks_of(word)) {
        if (atomic_compare_exchange_weak_explicit(&pool.word, &word, word + 1, memory_order_acq_rel,
                                                  memory_order_acquire)) {
            // A claimed task keeps its job unfinished, so function and context are still this job's.
            pool.function(pool.context, (long)next_of(word));
            atomic_fetch_add_explicit(&pool.done, 1, memory_order_release);
            word = atomic_load_explicit(&pool.word, memory_order_acquire);
        }
    }
}

static void *helper_main(void *argument) {
    int index = (int)(intptr_t)argument;
    uint64_t seen = job_of(atomic_load_explicit(&pool.word, memory_order_acquire));
    for (;;) {
        long spinStart = now_nanoseconds();
        int spins = 0;
        uint64_t word;
        while (job_of(word = atomic_load_explicit(&pool.word, memory_order_acquire)) == seen) {
            cpu_relax();
            if (++spins % 256 == 0 && now_nanoseconds() - spinStart > SPIN_NANOSECONDS) {
                pthread_mutex_lock(&pool.sleepLock);
                atomic_fetch_add(&pool.sleeping, 1);
                while (job_of(atomic_load(&pool.word)) == seen) pthread_cond_wait(&pool.wake, &pool.sleepLock);
                atomic_fetch_sub(&pool.sleeping, 1);
                pthread_mutex_unlock(&pool.sleepLock);
                spinStart = now_nanoseconds();
            }
        }
        seen = job_of(word);
        if (index < atomic_load_explicit(&pool.helpersWanted, memory_order_relaxed)) run_tasks(seen);
    }
    return 0;
}

// Starts helpers up to `count` (never fewer than already run). Returns how many run.
static int ensure_helpers(int count) {
    if (count > MAX_HELPERS) count = MAX_HELPERS;
    pthread_mutex_lock(&pool.createLock);
    while (pool.helpers < count) {
        pthread_t thread;
        pthread_attr_t attributes;
        pthread_attr_init(&attributes);
        pthread_attr_setdetachstate(&attributes, PTHREAD_CREATE_DETACHED);
        int failed = pthread_create(&thread, &attributes, helper_main, (void *)(intptr_t)pool.helpers);
        pthread_attr_destroy(&attributes);
        if (failed) break;
        pool.helpers++;
    }
    int helpers = pool.helpers;
    pthread_mutex_unlock(&pool.createLock);
    return helpers;
}

void khk_parallel_run(long tasks, int helpers, khk_task_fn function, void *context) {
    if (tasks <= 0) return;
    if (helpers <= 0 || tasks == 1 || (uint64_t)tasks > TASK_MASK || ensure_helpers(helpers) == 0 ||
        pthread_mutex_trylock(&pool.submit) != 0) {
        for (long task = 0; task < tasks; task++) function(context, task);
        return;
    }
    pool.function = function;
    pool.context = context;
    atomic_store_explicit(&pool.done, 0, memory_order_relaxed);
    atomic_store_explicit(&pool.helpersWanted, helpers, memory_order_relaxed);
    uint64_t job = (job_of(atomic_load(&pool.word)) + 1) & ((1ull << (64 - JOB_SHIFT)) - 1);
    atomic_store(&pool.word, (job << JOB_SHIFT) | ((uint64_t)tasks << TASK_BITS));
    if (atomic_load(&pool.sleeping) > 0) {
        pthread_mutex_lock(&pool.sleepLock);
        pthread_cond_broadcast(&pool.wake);
        pthread_mutex_unlock(&pool.sleepLock);
    }
    run_tasks(job);
    while (atomic_load_explicit(&pool.done, memory_order_acquire) < tasks) cpu_relax();
    pthread_mutex_unlock(&pool.submit);
}
