import QRCode from "qrcode";

/**
 * The login QR code as a person scans it: block characters for the console, an SVG for the
 * dashboard. Drawn from the gateway's text exactly; it never passes through log masking,
 * which would rewrite digit runs inside it and make it unscannable.
 */
export function qrForTerminal(text: string): Promise<string> {
  return QRCode.toString(text, { type: "terminal", small: true, errorCorrectionLevel: "L" });
}

export function qrAsSvg(text: string): Promise<string> {
  return QRCode.toString(text, { type: "svg", margin: 2, width: 240, errorCorrectionLevel: "L" });
}
