#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# tests/package.sh SRCDIR WORKDIR: builds the Debian package from a release
# tree of SRCDIR (make distdir) with `dpkg-buildpackage -us -uc -b`, checks
# what it holds, and as root, when no hpdiag package is installed yet,
# installs it, runs the installed hpdiag and removes the package again.
# Prints "package: N passed, N failed"; exits 1 on a failure.
set -u
src=$1 work=$2
passed=0 failed=0
ok() { echo "ok: $*"; passed=$((passed + 1)); }
bad() { echo "FAIL: $*"; failed=$((failed + 1)); }
installed=
cleanup() {
	[ -n "$installed" ] && dpkg -P hpdiag >/dev/null 2>&1
	rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP PIPE

rm -rf "$work" && mkdir -p "$work" || exit 1
version=$(sed -n '1s/^hpdiag (\([^)]*\)).*/\1/p' "$src/debian/changelog")
if ! make -C "$src" distdir distdir="$work/hpdiag-$version" >"$work/distdir.log" 2>&1; then
	cat "$work/distdir.log"; bad "make distdir"; echo "package: $passed passed, $failed failed"; exit 1
fi
if (cd "$work/hpdiag-$version" && DEB_BUILD_OPTIONS=nocheck dpkg-buildpackage -us -uc -b) \
	>"$work/build.log" 2>&1; then
	ok "dpkg-buildpackage -us -uc -b"
else
	tail -n 40 "$work/build.log"; bad "dpkg-buildpackage"
	echo "package: $passed passed, $failed failed"; exit 1
fi
deb=$(ls "$work"/hpdiag_"$version"_*.deb)
files=$(dpkg-deb -c "$deb" | awk '{print $6}')
for f in ./usr/sbin/hpdiag ./usr/share/man/man8/hpdiag.8.gz \
	 ./usr/share/man/man8/hpdiag-check.8.gz ./usr/share/man/man5/hpdiag-json.5.gz \
	 ./usr/share/man/man7/hpdiag-metrics.7.gz \
	 ./usr/share/bash-completion/completions/hpdiag \
	 ./lib/systemd/system/hpdiag-preflight@.service \
	 ./lib/systemd/system/hpdiag-textfile.timer \
	 ./usr/share/doc/hpdiag/examples/hpdiag-alerts.yml; do
	case $files in
	*"$f"*) ok "the package holds $f" ;;
	*) bad "the package lacks $f" ;;
	esac
done
dpkg-deb -x "$deb" "$work/root"
grep -q '^ExecStart=/usr/sbin/hpdiag check' "$work/root/lib/systemd/system/hpdiag-preflight@.service" &&
	ok "the unit names /usr/sbin/hpdiag" || bad "the unit's ExecStart"
if [ "$(id -u)" -eq 0 ] &&
   ! dpkg-query -W -f='${Status}' hpdiag 2>/dev/null | grep -q 'ok installed'; then
	if dpkg -i "$deb" >"$work/install.log" 2>&1; then
		installed=1
		ok "dpkg -i"
		v=$(/usr/sbin/hpdiag --version)
		[ "$v" = "hpdiag $version" ] && ok "installed hpdiag --version: $v" ||
			bad "installed --version: $v"
		/usr/sbin/hpdiag check >"$work/check.out" 2>&1
		rc=$?
		[ "$rc" -le 2 ] && ok "installed hpdiag check on this host (exit $rc)" ||
			{ cat "$work/check.out"; bad "installed hpdiag check: exit $rc"; }
		dpkg -P hpdiag >/dev/null 2>&1 && installed= && ok "dpkg -P (purge)" || bad "dpkg -P"
		[ ! -e /usr/sbin/hpdiag ] && ok "removed cleanly" || bad "/usr/sbin/hpdiag left"
	else
		cat "$work/install.log"; bad "dpkg -i"
	fi
else
	echo "not root, or an hpdiag package is installed already: install test skipped"
fi
echo "package: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
