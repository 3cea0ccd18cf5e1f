// HDF5 (libhdf5-dev) for Swift: <hdf5.h> plus static inline wrappers for the macros Swift cannot
// import (type ids that call H5open, access flags, default property lists) and a few small helpers.
#ifndef KERAS_HUB_CHDF5_SHIM_H
#define KERAS_HUB_CHDF5_SHIM_H

#include <hdf5.h>
#include <stdint.h>
#include <string.h>

static inline hid_t kh5_default(void) { return H5P_DEFAULT; }
static inline hid_t kh5_all(void) { return H5S_ALL; }
static inline unsigned kh5_acc_rdonly(void) { return H5F_ACC_RDONLY; }
static inline unsigned kh5_acc_trunc(void) { return H5F_ACC_TRUNC; }
static inline unsigned kh5_acc_excl(void) { return H5F_ACC_EXCL; }

static inline hid_t kh5_native_float(void) { return H5T_NATIVE_FLOAT; }
static inline hid_t kh5_native_uint16(void) { return H5T_NATIVE_UINT16; }
static inline hid_t kh5_native_int32(void) { return H5T_NATIVE_INT32; }
static inline hid_t kh5_ieee_f32le(void) { return H5T_IEEE_F32LE; }
static inline hid_t kh5_c_s1(void) { return H5T_C_S1; }

/// Turns off HDF5's printing of its error stack to stderr (we report typed errors instead).
static inline void kh5_silence_errors(void) { H5Eset_auto2(H5E_DEFAULT, NULL, NULL); }

/// A file-access property list whose close fails rather than leaving objects open.
static inline hid_t kh5_file_access_strong_close(void) {
    hid_t fapl = H5Pcreate(H5P_FILE_ACCESS);
    if (fapl < 0) return fapl;
    H5Pset_fclose_degree(fapl, H5F_CLOSE_STRONG);
    return fapl;
}

/// What a link of a file leads to, as ``kh5_visit_links`` reports it.
enum kh5_link_kind {
    KH5_GROUP = 0,
    KH5_DATASET = 1,
    KH5_OTHER_OBJECT = 2,
    KH5_SOFT_LINK = 3,
    KH5_EXTERNAL_LINK = 4,
    KH5_USER_LINK = 5,
};

/// Called for every link, with its path from the root and its kind; a non-zero return stops the visit.
typedef int (*kh5_link_visitor)(const char *path, int kind, void *context);

struct kh5_visit_state {
    kh5_link_visitor visitor;
    void *context;
};

#if H5_VERSION_GE(1, 12, 0)
static inline herr_t kh5_visit_one(hid_t group, const char *name, const H5L_info2_t *info, void *data) {
#else
static inline herr_t kh5_visit_one(hid_t group, const char *name, const H5L_info_t *info, void *data) {
#endif
    struct kh5_visit_state *state = (struct kh5_visit_state *)data;
    int kind = KH5_USER_LINK;
    if (info->type == H5L_TYPE_SOFT) {
        kind = KH5_SOFT_LINK;
    } else if (info->type == H5L_TYPE_EXTERNAL) {
        kind = KH5_EXTERNAL_LINK;
    } else if (info->type == H5L_TYPE_HARD) {
#if H5_VERSION_GE(1, 12, 0)
        H5O_info2_t object;
        if (H5Oget_info_by_name3(group, name, &object, H5O_INFO_BASIC, H5P_DEFAULT) < 0) return -1;
#else
        H5O_info_t object;
        if (H5Oget_info_by_name2(group, name, &object, H5O_INFO_BASIC, H5P_DEFAULT) < 0) return -1;
#endif
        kind = object.type == H5O_TYPE_GROUP ? KH5_GROUP : (object.type == H5O_TYPE_DATASET ? KH5_DATASET : KH5_OTHER_OBJECT);
    }
    return state->visitor(name, kind, state->context);
}

/// Visits every link under `group` in name order, without following soft or external links.
/// Returns a negative value when HDF5 fails, the visitor's value when it stops the visit, else 0.
static inline herr_t kh5_visit_links(hid_t group, kh5_link_visitor visitor, void *context) {
    struct kh5_visit_state state = { visitor, context };
#if H5_VERSION_GE(1, 12, 0)
    return H5Lvisit2(group, H5_INDEX_NAME, H5_ITER_INC, kh5_visit_one, &state);
#else
    return H5Lvisit(group, H5_INDEX_NAME, H5_ITER_INC, kh5_visit_one, &state);
#endif
}

/// A link-creation property list that creates missing intermediate groups.
static inline hid_t kh5_link_create_with_intermediates(void) {
    hid_t lcpl = H5Pcreate(H5P_LINK_CREATE);
    if (lcpl < 0) return lcpl;
    H5Pset_create_intermediate_group(lcpl, 1);
    return lcpl;
}

/// The IEEE half-precision type h5py writes for numpy float16 (1 sign, 5 exponent, 10 mantissa bits).
static inline hid_t kh5_ieee_f16le(void) {
    hid_t type = H5Tcopy(H5T_IEEE_F32LE);
    if (type < 0) return type;
    H5Tset_fields(type, 15, 10, 5, 0, 10);
    H5Tset_size(type, 2);
    H5Tset_ebias(type, 15);
    return type;
}

/// A variable-length UTF-8 string type, as h5py writes `str` attributes.
static inline hid_t kh5_utf8_string(void) {
    hid_t type = H5Tcopy(H5T_C_S1);
    if (type < 0) return type;
    H5Tset_size(type, H5T_VARIABLE);
    H5Tset_cset(type, H5T_CSET_UTF8);
    return type;
}

/// A 2-byte opaque type, as h5py writes ml_dtypes' bfloat16 (with a `dtype` attribute "bfloat16").
static inline hid_t kh5_opaque16(void) { return H5Tcreate(H5T_OPAQUE, 2); }

/// Writes a variable-length string attribute `name` = `value` on the object `object`.
static inline herr_t kh5_write_string_attribute(hid_t object, const char *name, const char *value) {
    hid_t type = kh5_utf8_string();
    if (type < 0) return -1;
    hid_t space = H5Screate(H5S_SCALAR);
    if (space < 0) { H5Tclose(type); return -1; }
    hid_t attribute = H5Acreate2(object, name, type, space, H5P_DEFAULT, H5P_DEFAULT);
    herr_t status = -1;
    if (attribute >= 0) {
        status = H5Awrite(attribute, type, &value);
        H5Aclose(attribute);
    }
    H5Sclose(space);
    H5Tclose(type);
    return status;
}

/// Reads the scalar string attribute `name` of `object` into `buffer` (at most `capacity - 1`
/// bytes, then a NUL). Returns the attribute's length in bytes, or -1 when it is absent or not a
/// scalar string.
static inline long kh5_read_string_attribute(hid_t object, const char *name, char *buffer, size_t capacity) {
    if (capacity == 0 || H5Aexists(object, name) <= 0) return -1;
    hid_t attribute = H5Aopen(object, name, H5P_DEFAULT);
    if (attribute < 0) return -1;
    long length = -1;
    hid_t type = H5Aget_type(attribute);
    hid_t space = H5Aget_space(attribute);
    if (type >= 0 && space >= 0 && H5Tget_class(type) == H5T_STRING && H5Sget_simple_extent_npoints(space) == 1) {
        if (H5Tis_variable_str(type) > 0) {
            char *value = NULL;
            if (H5Aread(attribute, type, &value) >= 0 && value != NULL) {
                size_t n = strlen(value);
                length = (long)n;
                if (n >= capacity) n = capacity - 1;
                memcpy(buffer, value, n);
                buffer[n] = 0;
                H5free_memory(value);
            }
        } else {
            size_t size = H5Tget_size(type);
            if (size < capacity && H5Aread(attribute, type, buffer) >= 0) {
                buffer[size] = 0;
                length = (long)strlen(buffer);
            }
        }
    }
    if (space >= 0) H5Sclose(space);
    if (type >= 0) H5Tclose(type);
    H5Aclose(attribute);
    return length;
}

#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/// The probe's visit: opens every dataset the file links to and reads it whole (at most 1 GiB each),
/// exercising every structure the real load will touch.
#if H5_VERSION_GE(1, 12, 0)
static inline herr_t kh5_probe_visit(hid_t group, const char *name, const H5L_info2_t *info, void *data) {
#else
static inline herr_t kh5_probe_visit(hid_t group, const char *name, const H5L_info_t *info, void *data) {
#endif
    (void)data;
    if (info->type != H5L_TYPE_HARD) return 0;
#if H5_VERSION_GE(1, 12, 0)
    H5O_info2_t object;
    if (H5Oget_info_by_name3(group, name, &object, H5O_INFO_BASIC, H5P_DEFAULT) < 0) return 0;
#else
    H5O_info_t object;
    if (H5Oget_info_by_name2(group, name, &object, H5O_INFO_BASIC, H5P_DEFAULT) < 0) return 0;
#endif
    if (object.type != H5O_TYPE_DATASET) return 0;
    hid_t dataset = H5Dopen2(group, name, H5P_DEFAULT);
    if (dataset < 0) return 0;
    hid_t type = H5Dget_type(dataset);
    hid_t space = H5Dget_space(dataset);
    hid_t creation = H5Dget_create_plist(dataset);
    if (type >= 0 && space >= 0 && creation >= 0 && H5Pget_external_count(creation) == 0 && H5Pget_nfilters(creation) == 0) {
        hssize_t points = H5Sget_simple_extent_npoints(space);
        size_t size = H5Tget_size(type);
        if (points > 0 && size > 0 && size <= 16 && (uint64_t)points <= ((uint64_t)1 << 30) / size) {
            void *buffer = malloc((size_t)points * size);
            if (buffer) {
                H5Dread(dataset, type, H5S_ALL, H5S_ALL, H5P_DEFAULT, buffer);
                free(buffer);
            }
        }
    }
    if (creation >= 0) H5Pclose(creation);
    if (space >= 0) H5Sclose(space);
    if (type >= 0) H5Tclose(type);
    H5Dclose(dataset);
    return 0;
}

/// Reads the whole file at `path` with libhdf5 in a forked child, so that a malformed file that
/// makes libhdf5 itself crash (it has no defence against corrupt metadata) kills the child, not the
/// caller. Returns 0 when the child finished its walk (with or without HDF5 errors), the signal
/// number (or 1000 + exit status) when it died, -1 when it could not be forked, and -2 when it was
/// still running after `timeout_ms` (then it is killed). The caller must hold the HDF5 lock, so that
/// no other thread is inside libhdf5 when the process forks.
static inline int kh5_probe_file(const char *path, long timeout_ms) {
    pid_t child = fork();
    if (child < 0) return -1;
    if (child == 0) {
        // Die quietly: no crash report from the parent's handlers (the Swift backtracer, a
        // sanitizer), no output on the terminal the parent shares.
        int signals[] = { SIGSEGV, SIGBUS, SIGILL, SIGABRT, SIGFPE, SIGTRAP };
        for (size_t i = 0; i < sizeof signals / sizeof signals[0]; i++) signal(signals[i], SIG_DFL);
        int devnull = open("/dev/null", O_WRONLY);
        if (devnull >= 0) { dup2(devnull, 1); dup2(devnull, 2); }
        H5Eset_auto2(H5E_DEFAULT, NULL, NULL);
        hid_t file = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT);
        if (file >= 0) {
            hid_t root = H5Gopen2(file, "/", H5P_DEFAULT);
            if (root >= 0) {
#if H5_VERSION_GE(1, 12, 0)
                H5Lvisit2(root, H5_INDEX_NAME, H5_ITER_INC, kh5_probe_visit, NULL);
#else
                H5Lvisit(root, H5_INDEX_NAME, H5_ITER_INC, kh5_probe_visit, NULL);
#endif
                H5Gclose(root);
            }
            H5Fclose(file);
        }
        _exit(0);
    }
    struct timespec pause = { 0, 2000000 };
    for (long waited = 0;; waited += 2) {
        int status = 0;
        pid_t done = waitpid(child, &status, WNOHANG);
        if (done == child) {
            if (WIFSIGNALED(status)) return WTERMSIG(status);
            if (WIFEXITED(status) && WEXITSTATUS(status) != 0) return 1000 + WEXITSTATUS(status);
            return 0;
        }
        if (done < 0) return -1;
        if (waited >= timeout_ms) {
            kill(child, SIGKILL);
            waitpid(child, &status, 0);
            return -2;
        }
        nanosleep(&pause, NULL);
    }
}

#endif
