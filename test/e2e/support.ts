// Shared end-to-end helpers: a `test` whose every page is checked for
// requests leaving the origin and for page errors, plus ways to open fixture
// files and to measure what a viewport canvas shows.
import { expect, test as base, type Page, type TestInfo } from '@playwright/test';

export { expect };

export interface OffOriginRequest {
  url: string;
  resourceType: string;
}

interface VeilFixtures {
  /** Every request of the test (pages and workers), recorded for the origin check. */
  requests: OffOriginRequest[];
}

/** Origins a request may go to: the served app, and in-page data. */
function isLocal(url: string, origin: string): boolean {
  return url.startsWith(origin) || url.startsWith('data:') || url.startsWith('blob:');
}

export const test = base.extend<VeilFixtures>({
  requests: [
    async ({ context, baseURL }, use) => {
      const origin = new URL(baseURL ?? 'http://127.0.0.1/').origin;
      const seen: OffOriginRequest[] = [];
      context.on('request', (request) => seen.push({ url: request.url(), resourceType: request.resourceType() }));
      // Belt and braces: anything off-origin is also refused, so a leak cannot succeed.
      await context.route(
        (url) => !isLocal(url.href, origin),
        (route) => route.abort('blockedbyclient'),
      );
      await use(seen);
      const offOrigin = seen.filter((request) => !isLocal(request.url, origin));
      expect(offOrigin, 'requests that left the origin').toEqual([]);
    },
    { auto: true },
  ],
  page: async ({ page }, use) => {
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    page.on('console', (message) => {
      if (message.type() === 'error' && /Content Security Policy|Refused to/i.test(message.text())) errors.push(message.text());
    });
    await use(page);
    expect(errors, 'page errors and CSP violations').toEqual([]);
  },
});

/** Loads the app and waits for its first open (browser mode opens the sample). */
export async function openApp(page: Page): Promise<void> {
  await page.goto('./');
  await expect(page.getByTestId('series-item').first()).toBeVisible();
  await expect(page.getByTestId('progress')).toHaveCount(0);
}

/** Opens files through "Open files…", answering the file chooser with `paths`. */
export async function openFixtureFiles(page: Page, paths: string[]): Promise<void> {
  const chooser = page.waitForEvent('filechooser');
  await page.getByTestId('open-files').click();
  await (await chooser).setFiles(paths);
  await waitForOpen(page);
}

/** Opens a directory through "Open folder…". */
export async function openFixtureFolder(page: Page, directory: string): Promise<void> {
  const chooser = page.waitForEvent('filechooser');
  await page.getByTestId('open-folder').click();
  await (await chooser).setFiles(directory);
  await waitForOpen(page);
}

async function waitForOpen(page: Page): Promise<void> {
  await expect(page.getByTestId('open-files')).toBeEnabled();
  await expect(page.getByTestId('progress')).toHaveCount(0);
}

export interface CanvasStats {
  width: number;
  height: number;
  /** Mean and standard deviation of luminance, 0–255. */
  mean: number;
  std: number;
  /** Fraction of pixels brighter than 8/255. */
  nonBlack: number;
  /** Mean luminance of the central quarter and of the four corner sixteenths. */
  centreMean: number;
  cornerMean: number;
  /** Mean |R−G| + |G−B|: above 0 only for colour images. */
  chroma: number;
  /** FNV-1a over the RGBA bytes: changes when the picture changes. */
  hash: string;
  /** R + G + B over every pixel: brighter or darker as a whole. */
  rgbSum: number;
  /** Pixels of the marker spheres' flat cyan (no skin or bone tone comes near it). */
  cyan: number;
  /** Pixels of the painted regions' flat orange (skin and bone are not this saturated). */
  orange: number;
}

/** Pixel statistics of the first canvas matching `selector` (e.g. `[data-testid=stack-viewport] canvas`). */
export function canvasStats(page: Page, selector: string): Promise<CanvasStats | null> {
  return page.evaluate((css) => {
    const source = document.querySelector(css);
    if (!(source instanceof HTMLCanvasElement) || source.width === 0 || source.height === 0) return null;
    const copy = document.createElement('canvas');
    copy.width = source.width;
    copy.height = source.height;
    const context = copy.getContext('2d', { willReadFrequently: true });
    if (!context) return null;
    context.drawImage(source, 0, 0);
    const { data, width, height } = context.getImageData(0, 0, copy.width, copy.height);
    let sum = 0;
    let sumSquares = 0;
    let bright = 0;
    let chroma = 0;
    let centre = 0;
    let centreCount = 0;
    let corner = 0;
    let cornerCount = 0;
    let hash = 0x811c9dc5;
    let rgbSum = 0;
    let cyan = 0;
    let orange = 0;
    for (let y = 0; y < height; y++) {
      const inCentreRow = y >= height / 4 && y < (3 * height) / 4;
      const inCornerRow = y < height / 4 || y >= (3 * height) / 4;
      for (let x = 0; x < width; x++) {
        const i = (y * width + x) * 4;
        const [r, g, b] = [data[i], data[i + 1], data[i + 2]];
        const luminance = 0.299 * r + 0.587 * g + 0.114 * b;
        sum += luminance;
        sumSquares += luminance * luminance;
        if (luminance > 8) bright++;
        chroma += Math.abs(r - g) + Math.abs(g - b);
        rgbSum += r + g + b;
        if (r < 90 && g > 170 && b > 200) cyan++;
        if (r > 200 && g > 120 && g < 190 && b < 70) orange++;
        if (inCentreRow && x >= width / 4 && x < (3 * width) / 4) {
          centre += luminance;
          centreCount++;
        } else if (inCornerRow && (x < width / 4 || x >= (3 * width) / 4)) {
          corner += luminance;
          cornerCount++;
        }
        for (let k = 0; k < 3; k++) hash = Math.imul(hash ^ data[i + k], 0x01000193) >>> 0;
      }
    }
    const n = width * height;
    const mean = sum / n;
    return {
      width,
      height,
      mean,
      std: Math.sqrt(Math.max(0, sumSquares / n - mean * mean)),
      nonBlack: bright / n,
      centreMean: centre / Math.max(1, centreCount),
      cornerMean: corner / Math.max(1, cornerCount),
      chroma: chroma / n,
      hash: hash.toString(16),
      rgbSum,
      cyan,
      orange,
    };
  }, selector);
}

export const stackCanvas = '[data-testid=stack-viewport] canvas';

/**
 * Polls until the canvas shows an image (IMAGE_RENDERED can fire on an empty
 * first frame), then returns its statistics.
 */
export async function waitForPicture(page: Page, selector = stackCanvas, minNonBlack = 0.05): Promise<CanvasStats> {
  let last: CanvasStats | null = null;
  await expect
    .poll(
      async () => {
        last = await canvasStats(page, selector);
        return last?.nonBlack ?? 0;
      },
      { message: `${selector} shows a picture`, timeout: 30_000 },
    )
    .toBeGreaterThan(minNonBlack);
  return last as unknown as CanvasStats;
}

/** Selects the series whose description or modality contains `text`. */
export async function selectSeries(page: Page, text: string | RegExp): Promise<void> {
  await page.getByTestId('series-item').filter({ hasText: text }).first().click();
  await expect(page.getByTestId('stack-viewport')).toHaveAttribute('data-ready', 'true');
}

/** Records a figure as a test annotation and in the run log (`[measure] …`). */
export function measure(testInfo: TestInfo, description: string): void {
  testInfo.annotations.push({ type: 'measure', description });
  console.log(`[measure] ${testInfo.title}: ${description}`);
}
