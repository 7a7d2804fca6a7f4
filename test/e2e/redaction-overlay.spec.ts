// The redaction overlay on real images with real burned-in text: the
// octave-dicom ankle CT screenshot and US echo cine. The preload is stood in by main's real
// Studies service (as in desktop-bridge.spec.ts); only `scanStudy` is a stub
// (test seam: the detector of shared/detect is not wired yet) answering
// burned-in-text findings where the tesseract CLI reads their text.
// Checked against what is on screen: the Cornerstone canvas (the image) and
// screenshots (image + overlay, what the user sees).
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Locator, Page } from '@playwright/test';
import { Channels, type Finding, type OpenResult, type ScanDocument } from '../../shared/api/contract';
import { Studies } from '../../main/app/studies';
import { FileRegistry } from '../../main/files/registry';
import { RecentStore } from '../../main/recent/recentStore';
import { fixtures } from '../fixtures/paths';
import { installVeilStandIn } from './standIn';
import { expect, measure, stackCanvas, test, waitForPicture } from './support';

const anklePath = join(fixtures.octave, 'CT-MONO2-16-ankle.dcm');
const echoPath = join(fixtures.octave, 'US-PAL-8-10x-echo.dcm');
const ankleSize = 512;

type Box = [number, number, number, number];
interface BurnedText {
  box: Box;
  text: string;
  textClass: 'identifying' | 'technical';
  /** Absent: found in every frame. */
  frame?: number;
}

/** The ankle's text, boxes in image pixels, read off `tesseract ankle.png - --psm 11 tsv`. */
const ankleText: BurnedText[] = [
  { box: [10, 10, 220, 13], text: 'Fri Apr 30 06:27:24 1993 3D', textClass: 'identifying', frame: 0 },
  { box: [356, 10, 146, 13], text: 'JFK IMAGING CENTER', textClass: 'identifying', frame: 0 },
  { box: [403, 49, 99, 13], text: 'M 26 151832', textClass: 'identifying', frame: 0 },
  { box: [9, 411, 50, 13], text: 'kv 120', textClass: 'technical', frame: 0 },
  { box: [9, 489, 130, 13], text: 'W = 1492 L = 906', textClass: 'technical', frame: 0 },
];

/** The scan's answer: `text` in every opened file, as the detector will report it. */
function stubScan(opened: OpenResult | undefined, text: BurnedText[]): ScanDocument {
  const series = opened?.patients.flatMap((p) => p.studies.flatMap((s) => s.series)) ?? [];
  return {
    series: series.map((s) => ({
      seriesInstanceUID: s.seriesInstanceUID,
      modality: s.modality,
      files: s.instances.map((i) => i.displayPath),
      findings: s.instances.flatMap((instance) =>
        text.map(
          ({ box, text, textClass, frame }): Finding => ({
            kind: 'burned-in-text',
            confidence: textClass === 'identifying' ? 0.9 : 0.5,
            where: { file: instance.displayPath, ...(frame !== undefined ? { frame } : {}), box, image: 'pixels' },
            detail: 'Text burned into the pixels.',
            text,
            textClass,
          }),
        ),
      ),
    })),
    skipped: [],
  };
}

/** `window.veil` backed by main's Studies in this process; startup opens `path`, the scan finds `text` in it. */
async function installBridge(page: Page, path: string, text: BurnedText[]): Promise<void> {
  const studies = new Studies({
    registry: new FileRegistry(),
    recent: new RecentStore(join(mkdtempSync(join(tmpdir(), 'veil-redact-')), 'recent.json')),
    sampleDir: async () => fixtures.octave,
  });
  let opened: OpenResult | undefined;
  await installVeilStandIn(page, async (channel, args) => {
    switch (channel) {
      case Channels.openStartup:
        opened = await studies.openPaths([path]);
        return opened;
      case Channels.recentStudies:
        return studies.recentStudies();
      case Channels.readFile:
        return studies.readFile(String(args[0]));
      case Channels.scanStudy:
        return stubScan(opened, text);
      default:
        throw new Error(`not offered by this stand-in: ${channel}`);
    }
  });
}

interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

const boxNamed = (page: Page, text: string | RegExp): Locator => page.getByTestId('redaction-box').filter({ hasText: text });

async function rectOf(locator: Locator): Promise<Rect> {
  const rect = await locator.locator('.redaction-rect').boundingBox();
  if (!rect) throw new Error('box not on screen');
  return rect;
}

/** The part of `rect` on the canvas (the overlay clips there too). */
async function onCanvas(page: Page, rect: Rect): Promise<Rect> {
  const canvas = (await page.locator(stackCanvas).boundingBox())!;
  const x = Math.max(rect.x, canvas.x);
  const y = Math.max(rect.y, canvas.y);
  const right = Math.min(rect.x + rect.width, canvas.x + canvas.width);
  const bottom = Math.min(rect.y + rect.height, canvas.y + canvas.height);
  return { x, y, width: Math.max(0, right - x), height: Math.max(0, bottom - y) };
}

function inset(rect: Rect, by: number): Rect {
  return { x: rect.x + by, y: rect.y + by, width: rect.width - 2 * by, height: rect.height - 2 * by };
}

/**
 * Luminance of the Cornerstone canvas (the image alone, no overlay) sampled on a
 * grid of `columns` × `rows` points spread over a page rectangle; NaN off the canvas.
 */
function sampleCanvas(page: Page, rect: Rect, columns: number, rows: number): Promise<number[]> {
  return page.evaluate(
    ({ css, rect, columns, rows }) => {
      const canvas = document.querySelector(css) as HTMLCanvasElement;
      const bounds = canvas.getBoundingClientRect();
      const copy = document.createElement('canvas');
      copy.width = canvas.width;
      copy.height = canvas.height;
      const context = copy.getContext('2d', { willReadFrequently: true })!;
      context.drawImage(canvas, 0, 0);
      const { data } = context.getImageData(0, 0, copy.width, copy.height);
      const sx = canvas.width / bounds.width;
      const sy = canvas.height / bounds.height;
      const values: number[] = [];
      for (let j = 0; j < rows; j++) {
        for (let i = 0; i < columns; i++) {
          const x = Math.floor((rect.x + ((i + 0.5) / columns) * rect.width - bounds.left) * sx);
          const y = Math.floor((rect.y + ((j + 0.5) / rows) * rect.height - bounds.top) * sy);
          if (x < 0 || y < 0 || x >= copy.width || y >= copy.height) {
            values.push(Number.NaN);
            continue;
          }
          const k = (y * copy.width + x) * 4;
          values.push(0.299 * data[k] + 0.587 * data[k + 1] + 0.114 * data[k + 2]);
        }
      }
      return values;
    },
    { css: stackCanvas, rect, columns, rows },
  );
}

/**
 * The page rectangle of the ankle picture on the Cornerstone canvas, from its white
 * frame: the first and last bright pixels of the canvas's middle row and column.
 */
function pictureExtent(page: Page): Promise<Rect> {
  return page.evaluate((css) => {
    const canvas = document.querySelector(css) as HTMLCanvasElement;
    const bounds = canvas.getBoundingClientRect();
    const copy = document.createElement('canvas');
    copy.width = canvas.width;
    copy.height = canvas.height;
    const context = copy.getContext('2d', { willReadFrequently: true })!;
    context.drawImage(canvas, 0, 0);
    const { data, width, height } = context.getImageData(0, 0, copy.width, copy.height);
    const bright = (x: number, y: number) => data[(y * width + x) * 4] > 100;
    const row = Math.floor(height / 2);
    const column = Math.floor(width / 2);
    let left = 0;
    while (left < width && !bright(left, row)) left++;
    let right = width - 1;
    while (right > 0 && !bright(right, row)) right--;
    let top = 0;
    while (top < height && !bright(column, top)) top++;
    let bottom = height - 1;
    while (bottom > 0 && !bright(column, bottom)) bottom--;
    const sx = bounds.width / width;
    const sy = bounds.height / height;
    return { x: bounds.left + left * sx, y: bounds.top + top * sy, width: (right + 1 - left) * sx, height: (bottom + 1 - top) * sy };
  }, stackCanvas);
}

/** Largest and mean luminance of what the screen shows in `rect` (image and overlay together). */
async function screenLuminance(page: Page, rect: Rect): Promise<{ max: number; mean: number }> {
  const png = await page.screenshot({ clip: rect });
  return page.evaluate(async (base64) => {
    const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
    const bitmap = await createImageBitmap(new Blob([bytes], { type: 'image/png' }));
    const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
    const context = canvas.getContext('2d')!;
    context.drawImage(bitmap, 0, 0);
    const { data } = context.getImageData(0, 0, bitmap.width, bitmap.height);
    let max = 0;
    let sum = 0;
    for (let k = 0; k < data.length; k += 4) {
      const luminance = 0.299 * data[k] + 0.587 * data[k + 1] + 0.114 * data[k + 2];
      max = Math.max(max, luminance);
      sum += luminance;
    }
    return { max, mean: sum / (data.length / 4) };
  }, png.toString('base64'));
}

/** Pearson correlation over the points both samples have (a zoomed box may reach past the canvas). */
function correlation(allA: number[], allB: number[]): number {
  const both = allA.map((_, i) => i).filter((i) => Number.isFinite(allA[i]) && Number.isFinite(allB[i]));
  const a = both.map((i) => allA[i]);
  const b = both.map((i) => allB[i]);
  const mean = (v: number[]) => v.reduce((s, x) => s + x, 0) / v.length;
  const [ma, mb] = [mean(a), mean(b)];
  let ab = 0;
  let aa = 0;
  let bb = 0;
  for (let i = 0; i < a.length; i++) {
    ab += (a[i] - ma) * (b[i] - mb);
    aa += (a[i] - ma) ** 2;
    bb += (b[i] - mb) ** 2;
  }
  return ab / Math.sqrt(aa * bb);
}

async function drag(page: Page, from: { x: number; y: number }, to: { x: number; y: number }): Promise<void> {
  await page.mouse.move(from.x, from.y);
  await page.mouse.down();
  await page.mouse.move(to.x, to.y, { steps: 8 });
  await page.mouse.up();
}

test('burned-in text boxes on the ankle CT: drawn where the text is, edited by mouse and keyboard, filled in "after", following the zoom', async ({ page }, testInfo) => {
  await installBridge(page, anklePath, ankleText);
  await page.goto('./');
  await expect(page.getByTestId('stack-viewport')).toHaveAttribute('data-ready', 'true');
  await waitForPicture(page);

  // The findings panel counts the text; the overlay shows one box per region, coloured by class.
  await expect(page.getByTestId('findings-burned-in-text')).toHaveAttribute('data-count', '5');
  const overlay = page.getByTestId('redaction-overlay');
  await expect(overlay).toHaveAttribute('data-boxes', '5');
  await expect(overlay.locator('[data-class=identifying][data-redact=true]')).toHaveCount(3);
  await expect(overlay.locator('[data-class=technical][data-redact=false]')).toHaveCount(2);
  await expect(boxNamed(page, 'JFK IMAGING CENTER').locator('.redaction-label')).toHaveText('JFK IMAGING CENTER');
  await expect(page.getByTestId('redaction-item')).toHaveCount(5);

  // Placed where the image is. The ankle has a white one-pixel frame at its edges: where the
  // canvas shows that frame tells where the picture is and how large, independently of the overlay.
  const picture = await pictureExtent(page);
  expect(Math.abs(picture.width - picture.height)).toBeLessThan(2);
  const scale = picture.width / ankleSize;
  const toPage = (x: number, y: number) => ({ x: picture.x + x * scale, y: picture.y + y * scale });
  const date = await rectOf(boxNamed(page, 'Fri Apr 30'));
  const expected = toPage(10, 10);
  expect(Math.abs(date.x - expected.x)).toBeLessThan(2);
  expect(Math.abs(date.y - expected.y)).toBeLessThan(2);
  expect(Math.abs(date.width - 220 * scale)).toBeLessThan(2);
  // …and the image under it is the text: bright strokes inside, none in the margin beyond its right end.
  const under = await sampleCanvas(page, inset(date, 2), 110, 5);
  expect(Math.max(...under)).toBeGreaterThan(150);
  const pastEnd = await sampleCanvas(page, { x: date.x + date.width + 1, y: date.y + 2, width: 8 * scale, height: date.height - 4 }, 8, 5);
  expect(Math.max(...pastEnd)).toBeLessThan(40);
  await page.screenshot({ path: testInfo.outputPath('redaction-before.png') });

  // Draw a box with the Box tool over black background, then move it onto "PSR" (x 245–267, y 492–501).
  await page.getByTestId('redaction-box-tool').click();
  await expect(page.getByTestId('redaction-box-tool')).toHaveAttribute('aria-pressed', 'true');
  await drag(page, toPage(380, 430), toPage(420, 450));
  const drawn = overlay.locator('[data-class=user]');
  await expect(drawn).toHaveCount(1);
  const drawnRect = (await drawn.getAttribute('data-rect'))!.split(',').map(Number);
  expect(Math.abs(drawnRect[0] - 380)).toBeLessThanOrEqual(1);
  expect(Math.abs(drawnRect[1] - 430)).toBeLessThanOrEqual(1);
  expect(Math.abs(drawnRect[2] - 40)).toBeLessThanOrEqual(2);
  expect(Math.abs(drawnRect[3] - 20)).toBeLessThanOrEqual(2);
  await expect(page.getByTestId('redaction-item')).toHaveCount(6);
  await page.getByTestId('redaction-box-tool').click();

  const movedTo = { x: 236, y: 486 };
  await drag(page, toPage(400, 440), toPage(400 + movedTo.x - drawnRect[0], 440 + movedTo.y - drawnRect[1]));
  await expect
    .poll(async () => {
      const [x, y] = (await drawn.getAttribute('data-rect'))!.split(',').map(Number);
      return Math.max(Math.abs(x - movedTo.x), Math.abs(y - movedTo.y));
    })
    .toBeLessThanOrEqual(1);
  const psr = await rectOf(drawn);
  expect(Math.max(...(await sampleCanvas(page, inset(psr, 2), 40, 10)))).toBeGreaterThan(150);

  // Resize by the bottom-right handle (the moved box is selected); wider by about 10 px.
  await expect(drawn).toHaveAttribute('data-selected', 'true');
  const handle = (await drawn.getByTestId('redaction-handle-se').boundingBox())!;
  await drag(page, { x: handle.x + 4, y: handle.y + 4 }, { x: handle.x + 4 + 10 * scale, y: handle.y + 4 });
  await expect.poll(async () => Number((await drawn.getAttribute('data-rect'))!.split(',')[2])).toBeGreaterThanOrEqual(drawnRect[2] + 9);

  // A click toggles: the technical "kv 120" becomes redacted, and back.
  const kv = boxNamed(page, 'kv 120');
  await kv.locator('.redaction-rect').click();
  await expect(kv).toHaveAttribute('data-redact', 'true');
  await expect(page.getByTestId('redaction-item').filter({ hasText: 'kv 120' }).getByTestId('redaction-item-toggle')).toHaveAttribute('aria-pressed', 'true');
  await kv.locator('.redaction-rect').click();
  await expect(kv).toHaveAttribute('data-redact', 'false');

  // Keyboard: the list selects "M 26 151832"; Delete removes it, Ctrl+Z brings it back, the list's Delete removes it again.
  const patientItem = page.getByTestId('redaction-item').filter({ hasText: 'M 26 151832' });
  await patientItem.getByTestId('redaction-item-name').focus();
  await expect(boxNamed(page, 'M 26 151832')).toHaveAttribute('data-selected', 'true');
  await page.keyboard.press('Delete');
  await expect(boxNamed(page, 'M 26 151832')).toHaveCount(0);
  await expect(overlay).toHaveAttribute('data-boxes', '5');
  await page.keyboard.press('Control+z');
  await expect(boxNamed(page, 'M 26 151832')).toHaveCount(1);
  await patientItem.getByTestId('redaction-item-delete').click();
  await expect(boxNamed(page, 'M 26 151832')).toHaveCount(0);
  await expect(page.getByTestId('redaction-item')).toHaveCount(5);
  await expect(page.getByRole('list', { name: 'Boxes on this image' })).toBeFocused();

  // Arrow keys on a box's name move it by a pixel.
  const jfkItem = page.getByTestId('redaction-item').filter({ hasText: 'JFK IMAGING CENTER' });
  await jfkItem.getByTestId('redaction-item-name').focus();
  await page.keyboard.press('ArrowLeft');
  await expect(boxNamed(page, 'JFK IMAGING CENTER')).toHaveAttribute('data-rect', '355,10,146,13');
  await page.keyboard.press('ArrowRight');
  await expect(boxNamed(page, 'JFK IMAGING CENTER')).toHaveAttribute('data-rect', '356,10,146,13');

  // "Same device" turns the date box into a signature of this scanner and size.
  const dateItem = page.getByTestId('redaction-item').filter({ hasText: 'Fri Apr 30' });
  await dateItem.getByTestId('redaction-item-device').click();
  await expect(boxNamed(page, 'Fri Apr 30')).toHaveAttribute('data-ref', 'signature:0:0');
  await expect(dateItem).toContainText('every GE MEDICAL SYSTEMS GENESIS_ZEUS, 512 × 512 image');
  await expect(dateItem.getByTestId('redaction-item-device')).toBeDisabled();
  await expect(page.getByTestId('redaction-item')).toHaveCount(5);

  // After: boxes to redact are black on screen while the image under them still holds the text; kept text stays visible.
  await page.getByTestId('redaction-after').click();
  await expect(overlay).toHaveAttribute('data-view', 'after');
  await expect(overlay.locator('.redaction-label')).toHaveCount(0);
  const dateNow = await rectOf(boxNamed(page, 'Fri Apr 30'));
  await expect.poll(async () => (await screenLuminance(page, inset(dateNow, 2))).max).toBeLessThan(12);
  await expect.poll(async () => (await screenLuminance(page, inset(await rectOf(drawn), 2))).max).toBeLessThan(12);
  expect(Math.max(...(await sampleCanvas(page, inset(dateNow, 2), 110, 5)))).toBeGreaterThan(150);
  await expect(boxNamed(page, 'W = 1492')).toHaveCount(0);
  const windowText = { ...toPage(9, 489), width: 130 * scale, height: 13 * scale };
  expect((await screenLuminance(page, inset(windowText, 2))).max).toBeGreaterThan(150);
  await page.screenshot({ path: testInfo.outputPath('redaction-after.png') });

  // Zoom in (Ctrl+wheel, about the pointer) over the date: the box grows with the image and still covers the same pixels.
  const before = await sampleCanvas(page, dateNow, 110, 13);
  await page.mouse.move(dateNow.x + dateNow.width / 2, dateNow.y + dateNow.height / 2);
  await page.keyboard.down('Control');
  // Each wheel event is one zoom step.
  for (let step = 0; step < 6; step++) await page.mouse.wheel(0, -100);
  await page.keyboard.up('Control');
  await expect.poll(async () => (await rectOf(boxNamed(page, 'Fri Apr 30'))).width).toBeGreaterThan(dateNow.width * 1.2);
  // Polled: the overlay may redraw on the camera change a frame before the canvas does.
  let zoomed = dateNow;
  let match = 0;
  await expect
    .poll(async () => {
      zoomed = await rectOf(boxNamed(page, 'Fri Apr 30'));
      match = correlation(before, await sampleCanvas(page, zoomed, 110, 13));
      return match;
    })
    .toBeGreaterThan(0.8);
  // The check has teeth: the same box 3 image pixels lower frames other pixels.
  const offBy = 3 * scale * (zoomed.width / dateNow.width);
  const shifted = correlation(before, await sampleCanvas(page, { ...zoomed, y: zoomed.y + offBy }, 110, 13));
  expect(shifted).toBeLessThan(match - 0.2);
  const visible = await onCanvas(page, zoomed);
  expect(visible.width).toBeGreaterThan(dateNow.width * 0.8);
  await expect.poll(async () => (await screenLuminance(page, inset(visible, 2))).max).toBeLessThan(12);
  measure(testInfo, `zoom ×${(zoomed.width / dateNow.width).toFixed(2)}; the image under the box before and after the zoom correlates ${match.toFixed(3)} (3 px lower: ${shifted.toFixed(3)})`);
  await page.screenshot({ path: testInfo.outputPath('redaction-after-zoomed.png') });

  // Before again: outlines and labels are back. With the Box tool on, the wheel over a box still zooms the image.
  await page.getByTestId('redaction-before').click();
  await expect(overlay.locator('.redaction-label').first()).toBeVisible();
  await page.getByTestId('redaction-box-tool').click();
  const kvNow = await rectOf(boxNamed(page, 'kv 120'));
  await page.mouse.move(kvNow.x + kvNow.width / 2, kvNow.y + kvNow.height / 2);
  await page.keyboard.down('Control');
  for (let step = 0; step < 3; step++) await page.mouse.wheel(0, -100);
  await page.keyboard.up('Control');
  await expect.poll(async () => (await rectOf(boxNamed(page, 'kv 120'))).width).toBeGreaterThan(kvNow.width * 1.1);
  expect(await page.evaluate(() => window.visualViewport?.scale ?? 1)).toBe(1);
});

/**
 * The echo's date (read in frame 3 only, as small text over moving anatomy may be), clip time
 * (every frame) and a gain label (frame 3 only), where tesseract reads them.
 */
const echoText: BurnedText[] = [
  { box: [2, 29, 92, 13], text: '30 JAN 94', textClass: 'identifying', frame: 2 },
  { box: [2, 168, 100, 13], text: '0:03:46', textClass: 'technical' },
  { box: [2, 44, 80, 13], text: 'GAIN 50', textClass: 'technical', frame: 2 },
];

test('on the US echo cine identifying text is planned for every frame, other text shows on its own frame until applied to all, and "after" fills it over the colour picture', async ({ page }, testInfo) => {
  await installBridge(page, echoPath, echoText);
  await page.goto('./');
  const viewport = page.getByTestId('stack-viewport');
  await expect(viewport).toHaveAttribute('data-ready', 'true');
  await waitForPicture(page, stackCanvas, 0.02);
  const overlay = page.getByTestId('redaction-overlay');

  // The cine opens on frame 6: the clip time, found in every frame, and the date, read in frame 3
  // but identifying, so filled in every frame (a frame where OCR missed it would leak).
  await expect(viewport).toHaveAttribute('data-index', '5');
  await expect(overlay).toHaveAttribute('data-boxes', '2');
  await expect(boxNamed(page, '0:03:46')).toHaveAttribute('data-redact', 'false');
  await expect(page.getByTestId('redaction-item').filter({ hasText: '30 JAN 94' })).toContainText('every frame');

  // Frame 3 has the gain label too.
  await viewport.focus();
  await page.keyboard.press('Home');
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowRight');
  await expect(viewport).toHaveAttribute('data-index', '2');
  await expect(overlay).toHaveAttribute('data-boxes', '3');
  const gainItem = page.getByTestId('redaction-item').filter({ hasText: 'GAIN 50' });
  await expect(gainItem).toContainText('frame 3');

  // Applied to every frame, it follows the cine.
  await gainItem.getByTestId('redaction-item-all-frames').click();
  await expect(gainItem).toContainText('every frame');
  await viewport.focus();
  await page.keyboard.press('End');
  await expect(viewport).toHaveAttribute('data-index', '9');
  await expect(boxNamed(page, 'GAIN 50')).toHaveCount(1);
  await expect(boxNamed(page, '30 JAN 94')).toHaveCount(1);

  // After: the date is black on screen; the image under it has the text; the kept clip time is visible.
  await page.getByTestId('redaction-after').click();
  const date = await rectOf(boxNamed(page, '30 JAN 94'));
  await expect.poll(async () => (await screenLuminance(page, inset(date, 2))).max).toBeLessThan(12);
  expect(Math.max(...(await sampleCanvas(page, inset(date, 2), 90, 6)))).toBeGreaterThan(150);
  await page.screenshot({ path: testInfo.outputPath('redaction-echo-after.png') });
});
