import type { EvaluationLevel } from '@yimen/shared';

const COLORS: Record<EvaluationLevel, string> = {
  very_satisfied: '#2ec27e',
  satisfied: '#8bd450',
  basic: '#ffd166',
  dissatisfied: '#f5a623',
  very_dissatisfied: '#ff5a5f',
};

const MOUTHS: Record<EvaluationLevel, string> = {
  very_satisfied: 'M27 57 Q50 90 73 57 Z',
  satisfied: 'M30 62 Q50 80 70 62',
  basic: 'M32 67 L68 67',
  dissatisfied: 'M31 74 Q50 60 69 74',
  very_dissatisfied: 'M28 78 Q50 54 72 78',
};

/** A drawn face for each rating (no emoji font needed on the tablet). */
export function Face({ level }: { level: EvaluationLevel }) {
  const filled = level === 'very_satisfied';
  return (
    <svg className="pad-face" viewBox="0 0 100 100" aria-hidden="true">
      <circle cx="50" cy="50" r="46" fill={COLORS[level]} />
      <circle cx="35" cy="40" r="6" fill="#1b2733" />
      <circle cx="65" cy="40" r="6" fill="#1b2733" />
      {level === 'very_dissatisfied' && (
        <path d="M24 27 L43 34 M76 27 L57 34" stroke="#1b2733" strokeWidth="5" strokeLinecap="round" />
      )}
      <path
        d={MOUTHS[level]}
        fill={filled ? '#1b2733' : 'none'}
        stroke="#1b2733"
        strokeWidth="6"
        strokeLinecap="round"
        strokeLinejoin="round"
      />
    </svg>
  );
}
