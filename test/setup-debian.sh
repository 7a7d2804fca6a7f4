#!/usr/bin/env bash
# System packages the tests need on Debian 12: Chromium for Playwright,
# dcmtk, GDCM, dicom3tools and tesseract as independent oracles. Idempotent; run as root.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
need=()
command -v chromium >/dev/null || need+=(chromium)
command -v dcmdump >/dev/null || need+=(dcmtk)
command -v dciodvfy >/dev/null || need+=(dicom3tools)
command -v dcm2niix >/dev/null || need+=(dcm2niix)
command -v tesseract >/dev/null || need+=(tesseract-ocr tesseract-ocr-eng)
command -v gdcmconv >/dev/null || need+=(libgdcm-tools)
# The labelled burned-in-text set draws with DejaVu (test/fixtures/burnedText.ts).
[ -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || need+=(fonts-dejavu-core)
if [ ${#need[@]} -gt 0 ]; then
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${need[@]}"
fi
# The fixture script uses `apt-get download`, which needs package lists.
ls /var/lib/apt/lists/*_Packages >/dev/null 2>&1 || apt-get update -qq
