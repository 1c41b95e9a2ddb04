# SPDX-License-Identifier: GPL-2.0-or-later
# Shared set-up for scripts/run and scripts/test: install the Debian packages
# the build needs when they are missing, bootstrap autotools, configure the
# tree (once) and build it.  Second and later calls only rebuild what changed.

HP_TOP=$(CDPATH= cd -- "$(dirname -- "$0")/.." && pwd)
HP_BUILD=${HP_BUILD:-$HP_TOP}

# Packages: name, and why hpdiag needs it.
HP_BUILD_PKGS="
autoconf:build system
automake:build system
make:build
gcc:compiler
pkg-config:finding libraries
libnuma-dev:NUMA nodes and memory policy
libcap-dev:capability checks
libmount-dev:parsing mountinfo
libjson-c-dev:JSON output
check:unit tests
"

hp_say() {
	printf '%s\n' "$*" >&2
}

hp_missing_pkgs() {
	for entry in $1; do
		pkg=${entry%%:*}
		dpkg-query -W -f='${Status}\n' "$pkg" 2>/dev/null |
			grep -q 'install ok installed' || printf '%s\n' "$entry"
	done
}

# hp_install "LIST of pkg:why" - installs what is missing, saying what and why.
hp_install() {
	missing=$(IFS='
'; hp_missing_pkgs "$1")
	[ -z "$missing" ] && return 0
	if ! command -v apt-get >/dev/null 2>&1; then
		hp_say "scripts: these packages are missing and this is not a Debian/Ubuntu system:"
		printf '  %s\n' "$missing" >&2
		return 1
	fi
	hp_say "scripts: installing missing packages with apt-get:"
	# One entry a line; the reasons hold spaces.
	old_ifs=$IFS
	IFS='
'
	pkgs=
	for entry in $missing; do
		hp_say "  ${entry%%:*} (${entry#*:})"
		pkgs="$pkgs ${entry%%:*}"
	done
	IFS=$old_ifs
	sudo=
	[ "$(id -u)" -ne 0 ] && sudo=sudo
	# shellcheck disable=SC2086
	if ! DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q $pkgs >&2; then
		$sudo apt-get update -q >&2 &&
		DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q $pkgs >&2
	fi
}

# hp_build [CONFIGURE ARGS] - bootstrap, configure (once) and build the tree
# $HP_BUILD (the source tree itself unless set: the sanitizer and clang builds
# of scripts/test configure copies of it made by `make distdir`).
hp_build() {
	(IFS=' '; hp_install "$(echo $HP_BUILD_PKGS)") || return 1
	if [ ! -x "$HP_BUILD/configure" ] || [ "$HP_BUILD/configure.ac" -nt "$HP_BUILD/configure" ]; then
		hp_say "scripts: bootstrapping (autoreconf)"
		(cd "$HP_BUILD" && autoreconf -fi) >&2 || return 1
	fi
	if [ ! -f "$HP_BUILD/Makefile" ]; then
		hp_say "scripts: configuring${1:+ with $*}"
		(cd "$HP_BUILD" && ./configure -q "$@") >&2 || return 1
	fi
	make -C "$HP_BUILD" -j"$(nproc 2>/dev/null || echo 2)" >&2
}

# hp_copy DIR - a fresh copy of the distributed sources in DIR.
hp_copy() {
	rm -rf "$1"
	make -C "$HP_TOP" distdir distdir="$1" >/dev/null
}
