/**
 * Reads a QR code with the device camera. Where the browser has a BarcodeDetector (Chromium on
 * Android, ChromeOS, macOS) it is used; elsewhere (Chromium on Linux and Windows, Firefox,
 * Safari) frames are drawn to a canvas and decoded by jsQR, loaded only when the camera is
 * switched on so the desk's first load stays small. Without a camera (no mediaDevices, or
 * permission refused) the button says so and the tag is typed or sent by a handheld scanner,
 * which types like a keyboard.
 */
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';

type Decode = (video: HTMLVideoElement) => Promise<string | undefined>;
interface Detector {
  detect(source: HTMLVideoElement): Promise<{ rawValue: string }[]>;
}
type DetectorClass = new (opts: { formats: string[] }) => Detector;
type JsQr = (
  data: Uint8ClampedArray,
  width: number,
  height: number,
  opts?: { inversionAttempts?: 'dontInvert' },
) => { data: string } | null;

async function decoder(): Promise<Decode> {
  const Native = (window as unknown as { BarcodeDetector?: DetectorClass & { getSupportedFormats?: () => Promise<string[]> } })
    .BarcodeDetector;
  const formats: string[] = Native?.getSupportedFormats ? await Native.getSupportedFormats().catch(() => []) : [];
  if (Native && formats.includes('qr_code')) {
    const d = new Native({ formats: ['qr_code'] });
    return async (v) => (await d.detect(v).catch(() => []))[0]?.rawValue;
  }
  // jsqr is CommonJS: its function is the default export, or that export's `default`, depending on the bundler's interop.
  const m = (await import('jsqr')).default as unknown as JsQr | { default: JsQr };
  const jsQR = typeof m === 'function' ? m : m.default;
  const canvas = document.createElement('canvas');
  const ctx = canvas.getContext('2d', { willReadFrequently: true });
  return async (v) => {
    if (!ctx || !v.videoWidth) return undefined;
    // A smaller frame decodes faster and a wristband fills much of it.
    const scale = Math.min(1, 640 / v.videoWidth);
    canvas.width = Math.round(v.videoWidth * scale);
    canvas.height = Math.round(v.videoHeight * scale);
    ctx.drawImage(v, 0, 0, canvas.width, canvas.height);
    const img = ctx.getImageData(0, 0, canvas.width, canvas.height);
    return jsQR(img.data, img.width, img.height, { inversionAttempts: 'dontInvert' })?.data || undefined;
  };
}

export function CameraScan({ onCode }: { onCode: (code: string) => void }) {
  const { t } = useTranslation();
  const [on, setOn] = useState(false);
  const [failed, setFailed] = useState(false);
  const video = useRef<HTMLVideoElement>(null);
  useEffect(() => {
    if (!on) return;
    let stream: MediaStream | undefined;
    let stop = false;
    void (async () => {
      const decode = await decoder();
      stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: 'environment' } });
      if (stop || !video.current) return;
      video.current.srcObject = stream;
      await video.current.play();
      while (!stop) {
        const code = await decode(video.current);
        if (code) {
          onCode(code);
          setOn(false);
          break;
        }
        await new Promise((r) => setTimeout(r, 200));
      }
    })().catch(() => {
      setFailed(true);
      setOn(false);
    });
    return () => {
      stop = true;
      stream?.getTracks().forEach((tr) => tr.stop());
    };
  }, [on, onCode]);
  if (!navigator.mediaDevices?.getUserMedia) return null;
  return (
    <div className="camera">
      <button
        type="button"
        className="button"
        onClick={() => {
          setFailed(false);
          setOn(!on);
        }}
        aria-pressed={on}
        data-testid="camera-scan"
      >
        {t('reception.camera')}
      </button>
      {failed && (
        <span className="field-error" role="alert">
          {t('reception.cameraFailed')}
        </span>
      )}
      {on && <video ref={video} muted playsInline aria-label={t('reception.camera')} data-testid="camera-video" />}
    </div>
  );
}
