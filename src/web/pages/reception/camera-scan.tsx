/**
 * Reads a QR code with the device camera where the browser has a BarcodeDetector (Chromium on
 * Android, ChromeOS, macOS). Elsewhere the button is not shown and the tag is typed or sent by a
 * handheld scanner, which types like a keyboard.
 */
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';

interface Detector { detect(source: HTMLVideoElement): Promise<{ rawValue: string }[]> }
type DetectorClass = new (opts: { formats: string[] }) => Detector;

function detectorClass(): DetectorClass | undefined {
  return (window as unknown as { BarcodeDetector?: DetectorClass }).BarcodeDetector;
}

export function CameraScan({ onCode }: { onCode: (code: string) => void }) {
  const { t } = useTranslation();
  const [on, setOn] = useState(false);
  const video = useRef<HTMLVideoElement>(null);
  useEffect(() => {
    const Cls = detectorClass();
    if (!on || !Cls) return;
    let stream: MediaStream | undefined;
    let stop = false;
    const detector = new Cls({ formats: ['qr_code'] });
    void (async () => {
      stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: 'environment' } });
      if (!video.current) return;
      video.current.srcObject = stream;
      await video.current.play();
      while (!stop) {
        const found = await detector.detect(video.current).catch(() => []);
        if (found[0]) { onCode(found[0].rawValue); setOn(false); break; }
        await new Promise((r) => setTimeout(r, 250));
      }
    })().catch(() => setOn(false));
    return () => { stop = true; stream?.getTracks().forEach((tr) => tr.stop()); };
  }, [on, onCode]);
  if (!detectorClass()) return null;
  return (
    <div className="camera">
      <button type="button" className="button" onClick={() => setOn(!on)} aria-pressed={on}>{t('reception.camera')}</button>
      {on && <video ref={video} muted playsInline aria-label={t('reception.camera')} />}
    </div>
  );
}
