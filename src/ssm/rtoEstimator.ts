/**
 * Retransmission timeout from RTT samples, the way both AWS peers compute it (RFC 6298 shape, no
 * Karn rule, no lower bound except the 10 ms variance floor, capped at 1 s). Milliseconds.
 */
export class RtoEstimator {
  static readonly initialSmoothedRtt = 100;
  static readonly initialRto = 200;
  static readonly maxRto = 1000;
  static readonly minVarianceTerm = 10;

  private smoothed = RtoEstimator.initialSmoothedRtt;
  private variance = 0;
  private current = RtoEstimator.initialRto;

  get rto(): number {
    return this.current;
  }

  get smoothedRtt(): number {
    return this.smoothed;
  }

  get rttVariance(): number {
    return this.variance;
  }

  addSample(rttMs: number): void {
    this.variance = 0.75 * this.variance + 0.25 * Math.abs(this.smoothed - rttMs);
    this.smoothed = 0.875 * this.smoothed + 0.125 * rttMs;
    this.current = Math.min(
      RtoEstimator.maxRto,
      this.smoothed + Math.max(RtoEstimator.minVarianceTerm, 4 * this.variance),
    );
  }
}
