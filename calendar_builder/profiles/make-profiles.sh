#!/bin/sh
# Rebuilds the three ICC output profiles of this folder (see README.md here), a few minutes.
# Needs Debian's argyll (colprof, targen, fakeread) and icc-profiles-free (the Fogra data).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
data=/usr/share/color/icc
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
cp "$data/FOGRA39L.ti3" "$data/FOGRA29L.ti3" .
licence="zlib licence (see README.md); made with ArgyllCMS"

# CMYK: perceptual tables mapped from the sRGB gamut (-S); black from 15 % of the way from
# white to black, so light tints print without black dots, to full black (-kp);
# total ink limited to the paper's preflight limit (-l), black to 95 % (-L).
colprof -qm -nc -kp 0 .15 .9 1 1 -l300 -L95 -S "$data/sRGB.icc" -cmt -dpp -A calendar_builder \
  -D "Coated offset FOGRA39, total ink 300% (calendar_builder)" \
  -C "$licence from the FOGRA39L characterization data" \
  -O "$here/coated-fogra39-tac300.icc" FOGRA39L
colprof -qm -nc -kp 0 .15 .9 1 1 -l260 -L95 -S "$data/sRGB.icc" -cmt -dpp -A calendar_builder \
  -D "Uncoated offset FOGRA29, total ink 260% (calendar_builder)" \
  -C "$licence from the FOGRA29L characterization data" \
  -O "$here/uncoated-fogra29-tac260.icc" FOGRA29L

# sRGB as an output (printer) profile, which a PDF/X output intent must be: 1500 RGB
# patches looked up in the sRGB profile (relative colorimetric) and profiled as a printer.
targen -d2 -G -f 1500 srgb >/dev/null
fakeread -I r -l "$data/sRGB.icc" srgb >/dev/null
sed -i 's/^DEVICE_CLASS "DISPLAY"/DEVICE_CLASS "OUTPUT"/; s/^COLOR_REP "iRGB_LAB"/COLOR_REP "RGB_LAB"/' srgb.ti3
colprof -qm -nc -A calendar_builder \
  -D "sRGB IEC61966-2.1 as an output profile (calendar_builder)" \
  -C "$licence from the sRGB IEC61966-2.1 definition" \
  -O "$here/srgb-output.icc" srgb
