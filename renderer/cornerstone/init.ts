// One-time Cornerstone3D set-up shared by every viewport (stack, MPR, 3D).
import { getConfiguration, init as initCore } from '@cornerstonejs/core';
import { init as initDicomImageLoader } from '@cornerstonejs/dicom-image-loader';
import {
  addTool,
  init as initTools,
  PanTool,
  StackScrollTool,
  WindowLevelTool,
  ZoomTool,
} from '@cornerstonejs/tools';
import { silenceReportedLoadErrors } from './loadErrors';
import { registerValidWindowProvider } from './validWindow';

let ready: Promise<void> | undefined;

/** The tools every Veil viewport may bind; registered once, globally. */
export const registeredTools = [WindowLevelTool, PanTool, ZoomTool, StackScrollTool] as const;

/**
 * Initialises core, tools and the DICOM image loader once; later calls return
 * the same promise (React StrictMode and several viewports call it).
 */
export function initCornerstone(): Promise<void> {
  ready ??= start();
  return ready;
}

async function start(): Promise<void> {
  // Each RenderingEngine opens `webGlContextCount` WebGL contexts (default 7);
  // Chromium keeps 16 live and drops the oldest, so stack + thumbnails + MPR
  // already lost contexts. Veil's engines render few viewports: one is enough.
  const defaults = getConfiguration();
  initCore({ ...defaults, rendering: { ...defaults.rendering, webGlContextCount: 1 } });
  // Two decode workers: enough to keep a 2-core machine busy without starving the UI.
  const workers = Math.max(1, Math.min(2, (navigator.hardwareConcurrency || 2) - 1));
  initDicomImageLoader({ maxWebWorkers: workers });
  registerValidWindowProvider();
  initTools();
  silenceReportedLoadErrors();
  for (const tool of registeredTools) addTool(tool);
}
