// Time left as a person says it: "45 s left", "2 min 5 s left", "12 min left", "1.5 h left"; never "2 min 60 s".

export function formatEta(seconds: number | undefined): string {
  if (seconds === undefined || !Number.isFinite(seconds) || seconds < 0) return '';
  // Rounded once, so that 179.6 s is 3 min 0 s, not 2 min 60 s.
  const s = Math.round(seconds);
  if (s < 60) return `${s} s left`;
  if (s < 600) return `${Math.floor(s / 60)} min ${s % 60} s left`;
  if (s < 5400) return `${Math.round(s / 60)} min left`;
  return `${(s / 3600).toFixed(1)} h left`;
}
