// Drag-and-drop of files or folders anywhere on the window.
import { useEffect, useState } from 'react';
import type { DroppedItems } from '../../shared/api/contract';
import { droppedFiles } from '../api/pickFiles';
import { isDesktop } from '../api/veilApi';

/** Calls `onDrop` with the dropped items; returns whether a drag is over the window. */
export function useWindowDrop(onDrop: (items: DroppedItems) => void): boolean {
  const [dragging, setDragging] = useState(false);
  useEffect(() => {
    let depth = 0;
    const hasFiles = (event: DragEvent) => event.dataTransfer?.types.includes('Files') ?? false;
    const enter = (event: DragEvent) => {
      if (!hasFiles(event)) return;
      depth += 1;
      setDragging(true);
    };
    const leave = () => {
      depth = Math.max(0, depth - 1);
      if (depth === 0) setDragging(false);
    };
    const over = (event: DragEvent) => {
      if (hasFiles(event)) event.preventDefault();
    };
    const drop = async (event: DragEvent) => {
      if (!event.dataTransfer || !hasFiles(event)) return;
      event.preventDefault();
      depth = 0;
      setDragging(false);
      // Electron: the preload turns Files (folders too) into paths. Browser: walk folders here.
      const files = isDesktop() ? Array.from(event.dataTransfer.files) : await droppedFiles(event.dataTransfer);
      onDrop({ kind: 'files', files });
    };
    window.addEventListener('dragenter', enter);
    window.addEventListener('dragleave', leave);
    window.addEventListener('dragover', over);
    window.addEventListener('drop', drop);
    return () => {
      window.removeEventListener('dragenter', enter);
      window.removeEventListener('dragleave', leave);
      window.removeEventListener('dragover', over);
      window.removeEventListener('drop', drop);
    };
  }, [onDrop]);
  return dragging;
}
