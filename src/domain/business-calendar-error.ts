/** Thrown when a calendar cannot be used (invalid, or no working time within two years). */
export class BusinessCalendarError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BusinessCalendarError';
  }
}
