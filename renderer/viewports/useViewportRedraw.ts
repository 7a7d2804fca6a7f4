// Overlays drawn in image coordinates over a Cornerstone viewport must follow
// it: re-render the overlay whenever the viewport renders or its camera moves
// (scroll, zoom, pan, resize).
import { Enums, type Types } from '@cornerstonejs/core';
import { useEffect, useState } from 'react';

export function useViewportRedraw(viewport: Types.IViewport): void {
  const [, setRenders] = useState(0);
  useEffect(() => {
    const element = viewport.element;
    const redraw = () => setRenders((n) => n + 1);
    element.addEventListener(Enums.Events.IMAGE_RENDERED, redraw);
    element.addEventListener(Enums.Events.CAMERA_MODIFIED, redraw);
    return () => {
      element.removeEventListener(Enums.Events.IMAGE_RENDERED, redraw);
      element.removeEventListener(Enums.Events.CAMERA_MODIFIED, redraw);
    };
  }, [viewport]);
}
