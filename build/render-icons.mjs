// Renders build/icons/veil.svg to the PNG sizes electron-builder takes: Linux
// reads build/icons/<n>x<n>.png, Windows makes its .ico from 256×256, macOS
// its .icns from 1024×1024. Run after editing the SVG: node build/render-icons.mjs
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createCanvas, loadImage } from '@napi-rs/canvas';

export const iconSizes = [16, 24, 32, 48, 64, 128, 256, 512, 1024];
const dir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'icons');

const svg = await loadImage(readFileSync(path.join(dir, 'veil.svg')));
for (const size of iconSizes) {
  const canvas = createCanvas(size, size);
  canvas.getContext('2d').drawImage(svg, 0, 0, size, size);
  writeFileSync(path.join(dir, `${size}x${size}.png`), await canvas.encode('png'));
}
console.log(`rendered ${iconSizes.map((s) => `${s}x${s}.png`).join(', ')} in ${dir}`);
