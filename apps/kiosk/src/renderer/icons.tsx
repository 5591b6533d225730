/** Line icons drawn inline (the kiosk has no emoji font and loads nothing from outside). */
const PATHS = {
  card: (
    <>
      <rect x="3" y="6" width="26" height="20" rx="3" />
      <circle cx="11" cy="14" r="3.2" />
      <path d="M6.5 22c1-3 2.6-4.2 4.5-4.2s3.5 1.2 4.5 4.2M18 12h7M18 16h7M18 20h5" />
    </>
  ),
  guide: (
    <>
      <path d="M16 8c-3-2.2-7-3-12-2.6v19c5-.4 9 .4 12 2.6 3-2.2 7-3 12-2.6v-19C23 5 19 5.8 16 8z" />
      <path d="M16 8v19" />
    </>
  ),
  elderly: (
    <>
      <circle cx="14" cy="5.5" r="2.8" />
      <path d="M13 10l-3 7 4 2 1 9M13 10l4 6 4 1M10 17l-2 10M23 17v11" />
    </>
  ),
  home: (
    <>
      <path d="M4 15L16 5l12 10" />
      <path d="M8 13v13h6v-7h4v7h6V13" />
    </>
  ),
  search: (
    <>
      <circle cx="14" cy="14" r="8" />
      <path d="M20 20l7 7" />
    </>
  ),
} as const;

export type IconName = keyof typeof PATHS;

export function Icon({ name, className }: { name: IconName; className?: string }) {
  return (
    <svg
      className={`icon ${className ?? ''}`}
      viewBox="0 0 32 32"
      fill="none"
      stroke="currentColor"
      strokeWidth="2.2"
      strokeLinecap="round"
      strokeLinejoin="round"
      aria-hidden="true"
    >
      {PATHS[name]}
    </svg>
  );
}
