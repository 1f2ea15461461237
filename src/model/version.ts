/** This Tally's version, as package.json says (a test keeps them equal): webhook deliveries send it in their User-Agent. */
export const TALLY_VERSION = '0.1.0';
