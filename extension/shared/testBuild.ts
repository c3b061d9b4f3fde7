/**
 * Whether this bundle may carry test-only parts (the loseGpu message, the tests' hooks). The production
 * bundles (build.mjs --production, what a .vsix ships) define NEURAL_STYLE_TEST_BUILD as false, so those
 * parts drop out of them; development bundles define it true, and unbundled code (the unit tests) keeps them.
 */
declare const NEURAL_STYLE_TEST_BUILD: boolean | undefined;

export const TEST_BUILD: boolean = typeof NEURAL_STYLE_TEST_BUILD === 'undefined' ? true : NEURAL_STYLE_TEST_BUILD;
