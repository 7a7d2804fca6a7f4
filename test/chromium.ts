// Debian Chromium's launch arguments for the e2e tests and the renderer bench.

/** llvmpipe through ANGLE/EGL (fastest here); VEIL_E2E_GL=swiftshader picks SwiftShader. */
export function glArgs(): string[] {
  return process.env.VEIL_E2E_GL === 'swiftshader'
    ? ['--use-angle=swiftshader', '--enable-unsafe-swiftshader']
    : ['--use-gl=angle', '--use-angle=gl-egl', '--ignore-gpu-blocklist'];
}

export function chromiumArgs(): string[] {
  return [
    '--no-sandbox',
    // Without these Chromium keeps calling home, and the network here is closed.
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--no-first-run',
    '--disable-default-apps',
    ...glArgs(),
  ];
}
