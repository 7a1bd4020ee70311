/**
 * Outcome sounds, synthesised with WebAudio: no audio files to ship or to allow in the CSP.
 * Each outcome has its own contour so a clerk who is looking at the customer still knows:
 * redeemed rises, rejected is a low double buzz, queued is a level two-note chime.
 */
import type { BannerOutcome } from './outcome.js';

interface Note {
  /** Hz */
  frequency: number;
  /** Seconds after the start. */
  at: number;
  duration: number;
  wave: OscillatorType;
  volume: number;
}

export const OUTCOME_NOTES: Record<BannerOutcome, readonly Note[]> = {
  redeemed: [
    { frequency: 880, at: 0, duration: 0.12, wave: 'sine', volume: 0.35 },
    { frequency: 1318.5, at: 0.12, duration: 0.22, wave: 'sine', volume: 0.35 },
  ],
  rejected: [
    { frequency: 196, at: 0, duration: 0.22, wave: 'square', volume: 0.18 },
    { frequency: 196, at: 0.3, duration: 0.32, wave: 'square', volume: 0.18 },
  ],
  queued: [
    { frequency: 660, at: 0, duration: 0.18, wave: 'triangle', volume: 0.3 },
    { frequency: 660, at: 0.26, duration: 0.18, wave: 'triangle', volume: 0.3 },
  ],
  error: [
    { frequency: 330, at: 0, duration: 0.18, wave: 'sawtooth', volume: 0.16 },
    { frequency: 247, at: 0.2, duration: 0.3, wave: 'sawtooth', volume: 0.16 },
  ],
};

let context: AudioContext | null = null;

function audioContext(): AudioContext | null {
  if (typeof AudioContext === 'undefined') return null;
  context ??= new AudioContext();
  return context;
}

export function playOutcome(outcome: BannerOutcome): void {
  const ctx = audioContext();
  if (ctx === null) return;
  // Autoplay policy may leave the context suspended until a user gesture; a scan is one.
  if (ctx.state === 'suspended') void ctx.resume().catch(() => {});
  const start = ctx.currentTime + 0.01;
  for (const note of OUTCOME_NOTES[outcome]) {
    const oscillator = ctx.createOscillator();
    const gain = ctx.createGain();
    oscillator.type = note.wave;
    oscillator.frequency.setValueAtTime(note.frequency, start + note.at);
    // A short attack and release avoid clicks at the note edges.
    gain.gain.setValueAtTime(0, start + note.at);
    gain.gain.linearRampToValueAtTime(note.volume, start + note.at + 0.01);
    gain.gain.setValueAtTime(note.volume, start + note.at + note.duration - 0.03);
    gain.gain.linearRampToValueAtTime(0, start + note.at + note.duration);
    oscillator.connect(gain).connect(ctx.destination);
    oscillator.start(start + note.at);
    oscillator.stop(start + note.at + note.duration + 0.02);
  }
}
