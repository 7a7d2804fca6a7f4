// Play/pause through the frames (echo cine, dynamic series) at a chosen rate.
import { useEffect, useState } from 'react';
import { utilities } from '@cornerstonejs/tools';

export function CineControls({ element, defaultFps }: { element: HTMLDivElement; defaultFps: number }) {
  const [playing, setPlaying] = useState(false);
  const [fps, setFps] = useState(defaultFps);

  useEffect(() => {
    if (!playing) return;
    utilities.cine.playClip(element, { framesPerSecond: fps, loop: true });
    return () => utilities.cine.stopClip(element);
  }, [element, playing, fps]);

  return (
    <div className="cine" role="group" aria-label="Cine">
      <button type="button" data-testid="cine-play" aria-label={playing ? 'Pause cine' : 'Play cine'} aria-pressed={playing} onClick={() => setPlaying(!playing)}>
        {playing ? '❚❚' : '▶'}
      </button>
      <label>
        <input
          type="number"
          data-testid="cine-fps"
          aria-label="Frames per second"
          min={1}
          max={60}
          value={fps}
          onChange={(event) => setFps(Math.min(60, Math.max(1, Number(event.target.value) || 1)))}
        />
        fps
      </label>
    </div>
  );
}
