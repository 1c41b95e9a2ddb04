/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * snapshot.h - the snapshot: plain structs that the probes fill from the
 * kernel's files and that every later stage (model, diagnose, act, report)
 * reads.  Nothing here judges anything; a value the kernel did not offer is
 * marked absent rather than guessed.  The accessors at the end answer the
 * questions several stages ask of it, so each is answered once.
 */
#ifndef HPDIAG_PROBE_SNAPSHOT_H
#define HPDIAG_PROBE_SNAPSHOT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "lib/num.h"
#include "lib/proc.h"

/* One hugepage pool as seen under /sys/kernel/mm/hugepages and per node. */
struct pool_node {
	unsigned node;
	uint64_t total;
	uint64_t free;
	uint64_t surplus;
};

struct pool {
	uint64_t page_size;		/* bytes */
	uint64_t total;			/* nr_hugepages */
	uint64_t free;
	uint64_t resv;
	uint64_t surplus;
	uint64_t overcommit;		/* nr_overcommit_hugepages */
	struct pool_node *nodes;
	size_t nr_nodes;
};

/* /proc/meminfo, the fields hpdiag uses, in bytes (counts for HugePages_*). */
struct meminfo {
	uint64_t mem_total;
	uint64_t mem_free;
	uint64_t mem_available;
	uint64_t hp_total;
	uint64_t hp_free;
	uint64_t hp_rsvd;
	uint64_t hp_surp;
	uint64_t hugepagesize;
	uint64_t hugetlb;
	uint64_t commit_limit;
	uint64_t committed_as;
	bool have_hugetlb;		/* "Hugetlb:" appeared in Linux 4.16 */
	bool have_available;
};

/* A NUMA node with memory. */
struct node {
	unsigned id;
	uint64_t mem_total;		/* bytes, from nodeN/meminfo */
	uint64_t mem_free;
	bool have_meminfo;
	bool has_cpus;
	unsigned nr_cpus;
};

/* A file inside a hugetlbfs mount and whether any process uses it. */
struct mount_file {
	char *path;			/* absolute, as on the host */
	uint64_t size;			/* st_size */
	uint64_t pages;			/* hugepages it holds (st_blocks) */
	bool in_use;			/* mapped or held open by a process */
	pid_t user;			/* one process that uses it, or 0 */
	bool held;			/* mapped by the process --pid names */
	uint64_t dev, ino;		/* live: st_dev, st_ino; else 0 */
	bool recorded;			/* in_use read from hpdiag.snapshot */
};

struct mount {
	char *path;
	uint64_t page_size;		/* pagesize= or the default size */
	uint64_t size_limit;		/* size= in bytes, HP_UNLIMITED if none */
	uint64_t min_size;		/* min_size= in bytes, 0 if none */
	uint64_t nr_inodes;		/* nr_inodes=, HP_UNLIMITED if none */
	unsigned uid, gid, mode;
	bool read_only;
	/* Facts only the live host can give (recorded in snapshot metadata). */
	bool have_usage;
	uint64_t used_pages;		/* pages held by the files below */
	uint64_t quota_used;		/* pages charged to size= (statfs),
					   deleted-but-mapped files included */
	bool have_quota_used;
	int writable;			/* 1, 0, or -1 when unknown */
	struct mount_file *files;
	size_t nr_files;
	bool files_truncated;		/* more files than hpdiag lists */
};

enum rlimit_id { RL_DATA, RL_AS, RL_MEMLOCK, RL_NOFILE, RL_STACK, RL_COUNT };

struct rlim {
	uint64_t soft;			/* HP_UNLIMITED for unlimited */
	uint64_t hard;
};

enum sysctl_id {
	SC_MAX_MAP_COUNT,
	SC_NR_HUGEPAGES,
	SC_NR_OVERCOMMIT_HUGEPAGES,
	SC_OVERCOMMIT_MEMORY,
	SC_HUGETLB_SHM_GROUP,
	SC_SHMMAX,
	SC_SHMALL,
	SC_MIN_FREE_KBYTES,
	SC_COUNT
};

struct sysctl_value {
	uint64_t value;
	bool present;
};

/* A cgroup hierarchy as mounted where hpdiag reads it. */
struct cgroup_mnt {
	char *dir;			/* the mount point: "/sys/fs/cgroup/unified" */
	char *root;			/* the cgroup mounted there: "/", or a
					   container's own cgroup in its view */
};

/*
 * One cgroup's own hugetlb counters for one page size, from its files:
 * v1 hugetlb.<size>.limit_in_bytes, usage_in_bytes, max_usage_in_bytes,
 * failcnt and the rsvd. variants; v2 hugetlb.<size>.max, .current,
 * .rsvd.max, .rsvd.current, .events.
 */
struct cgroup_stat {
	char *path;			/* the cgroup: "/kubepods/pod1/c1" */
	char *dir;			/* the directory its files are in */
	int version;			/* 1 or 2 */
	uint64_t page_size;
	uint64_t limit;			/* bytes; HP_UNLIMITED: none */
	uint64_t usage;
	uint64_t max_usage;		/* v1 only, 0 on v2 */
	uint64_t rsvd_limit;		/* HP_UNLIMITED: none (or no rsvd files) */
	uint64_t rsvd_usage;
	bool have_rsvd;
	uint64_t hits;			/* charges refused: v2 events "max"
					   (the cgroup and those below it),
					   v1 failcnt + rsvd.failcnt */
	bool have_hits;
	pid_t user;			/* a process using hugepages in it, or 0 */
};

/*
 * A limit of the cgroup a process is in: for a page size (or the memory
 * controller), the level on the path up to the root with the least room,
 * since a parent's limit binds its children too.
 */
struct cgroup_limit {
	uint64_t page_size;		/* 0 for the memory controller */
	int version;			/* the hierarchy it comes from: 1 or 2 */
	uint64_t limit;			/* bytes; HP_UNLIMITED for max */
	uint64_t usage;			/* bytes charged at that level */
	char *file;			/* the file that set it, or NULL */
	char *cgroup;			/* that level's cgroup */
	/* Reservations (mmap time): the level with the least room. */
	uint64_t rsvd_limit;		/* HP_UNLIMITED: none */
	uint64_t rsvd_usage;
	char *rsvd_file;
	char *rsvd_cgroup;
	uint64_t hits;			/* charges refused in the process's
					   cgroup (v1: summed up the path) */
	bool have_hits;
};

struct cgroup {
	int version;			/* of the hugetlb controller: 1, 2, 0 */
	char *path;			/* the process's cgroup, for hugetlb */
	int memory_version;		/* of the memory controller */
	char *memory_path;
	bool given;			/* --cgroup PATH, not a process's */
	bool container;			/* seen from inside a container: the top
					   of the hierarchy it sees is not the
					   root (its own limit files are there,
					   or the mount's root is a cgroup) */
	bool pod;			/* a Kubernetes pod: kubepods in the
					   path, or the kubelet's mounts */
	bool hidden;			/* the cgroup is outside the part of the
					   hierarchy mounted here */
	struct cgroup_limit *limits;
	size_t nr_limits;
	/* Every level read (the process's, up to the root) and, with the
	 * users probed, the cgroups of the processes using hugepages. */
	struct cgroup_stat *stats;
	size_t nr_stats;
	struct cgroup_mnt v2, v1_hugetlb, v1_memory;
};

/* One line of /proc/buddyinfo. */
#define BUDDY_MAX_ORDERS 16
struct buddy_zone {
	unsigned node;
	char zone[16];
	unsigned nr_orders;
	uint64_t free[BUDDY_MAX_ORDERS];
};

struct limits {
	pid_t pid;			/* 0: hpdiag itself */
	uint64_t vma_count;
	uint64_t hugetlb_vmas;		/* of them, mapping hugetlbfs page files */
	uint64_t fd_count;
	bool have_fd_count;
	/* With --pid: an errno when its maps or fds could not be read (a
	 * process of another user, or one the kernel guards), 0 otherwise.
	 * Its rlimits are still known. */
	int maps_errno, fd_errno;
	struct proc_status st;		/* capabilities, ids, VmSize, VmData */
	struct rlim rlimits[RL_COUNT];
	struct sysctl_value sysctl[SC_COUNT];
};

/* Facts that only a live kernel gives, or metadata of a captured tree. */
struct meta {
	char kernel[128];
	char machine[65];
	uint64_t base_page_size;	/* 0 when unknown */
	unsigned va_bits;		/* user address space, 0 when unknown */
	int64_t time;			/* capture time, 0 for live */
	unsigned euid;
	bool have_euid;
	bool captured;			/* read from a snapshot's metadata file */
};

/*
 * VFIO: a PCI device bound to vfio-pci.  A process that maps memory for its
 * DMA through VFIO's type1 IOMMU pins those pages, and the kernel charges
 * them to its RLIMIT_MEMLOCK unless it has CAP_IPC_LOCK; a group in
 * no-IOMMU mode pins nothing.
 */
struct vfio_dev {
	char addr[16];			/* "0000:03:00.0" */
	int group;			/* its IOMMU group, -1 if none */
	bool noiommu;			/* the group is "vfio-noiommu" */
};

struct vfio {
	struct vfio_dev *devs;
	size_t nr_devs;
	bool pid_known;			/* --pid: its fds were read */
	size_t pid_groups;		/* its fds on /dev/vfio/GROUP */
};

/*
 * A pool the kernel command line asks for at boot: hugepages=N after
 * hugepagesz=SIZE (or default_hugepagesz=SIZE), or before any size for the
 * default one, and hugepages=NODE:N,NODE:N for pages on given nodes.
 */
#define BOOT_MAX_SIZES	6
#define BOOT_MAX_NODES	64
struct boot_node {
	unsigned node;
	uint64_t pages;
};

struct boot_pool {
	uint64_t page_size;		/* 0: the kernel's default size */
	char param[128];		/* "hugepagesz=1G hugepages=16", as given */
	uint64_t pages;			/* N, or the sum over the nodes */
	struct boot_node nodes[BOOT_MAX_NODES];
	size_t nr_nodes;		/* 0: N for the whole pool */
};

struct boot_pools {
	struct boot_pool v[BOOT_MAX_SIZES];
	size_t n;
	bool cma;			/* hugetlb_cma=: no gigantic pages at boot */
};

/* A directory a mount could go on: what is there (only the live host
 * says; a captured tree does not record it). */
enum dir_state { DIR_UNKNOWN, DIR_ABSENT, DIR_EMPTY, DIR_NOT_EMPTY, DIR_NOT_DIR };

struct dir_fact {
	char *path;
	enum dir_state state;
	size_t entries;			/* DIR_NOT_EMPTY */
};

struct snapshot {
	struct meta meta;
	struct meminfo mem;
	struct pool *pools;		/* sorted by page size */
	size_t nr_pools;
	struct node *nodes;
	size_t nr_nodes;
	struct mount *mounts;
	size_t nr_mounts;
	struct limits lim;
	struct cgroup cg;
	struct buddy_zone *buddy;
	size_t nr_buddy;
	char *cmdline;
	struct boot_pools boot;		/* the pools cmdline asks for */
	struct vfio vfio;
	char thp[16];			/* transparent hugepage mode, "" if absent */
	bool procs_scanned;		/* mount files' users are known */
	/* Every mount point of the process's view, whatever its type. */
	char **mount_points;
	size_t nr_mount_points;
	struct dir_fact *dirs;		/* probe_dirs() */
	size_t nr_dirs;
};

void snapshot_free(struct snapshot *snap);
void cgroup_free(struct cgroup *cg);

/* The pool of PAGE_SIZE, or NULL. */
const struct pool *snapshot_pool(const struct snapshot *snap, uint64_t page_size);
/* The limit of the process's cgroup for hugepages of PAGE_SIZE, or NULL. */
const struct cgroup_limit *cgroup_limit_of(const struct cgroup *cg, uint64_t page_size);
/* The sysfs file FILE ("nr_hugepages") of the pool of page size PS on
 * NODE, or of the whole pool for -1. */
char *pool_file(char *buf, size_t size, uint64_t ps, int node, const char *file);
/* A pool's share on NODE, or NULL. */
const struct pool_node *pool_node(const struct pool *p, unsigned node);
/* The hugetlbfs mount whose mount point is exactly PATH, or NULL. */
const struct mount *snapshot_mount_at(const struct snapshot *snap, const char *path);
/* Whether PATH is the mount point of a filesystem (any type). */
bool snapshot_is_mount_point(const struct snapshot *snap, const char *path);
/* What probe_dirs() found at PATH, or NULL. */
const struct dir_fact *snapshot_dir(const struct snapshot *snap, const char *path);
/* Files of M that no process maps or holds open, and their pages (only
 * known when snap->procs_scanned). */
void mount_stale(const struct mount *m, uint64_t *files, uint64_t *pages);

const char *sysctl_name(enum sysctl_id id);
const char *sysctl_path(enum sysctl_id id);
const char *rlimit_name(enum rlimit_id id);

#endif /* HPDIAG_PROBE_SNAPSHOT_H */
