/** The CloudWatch namespace of the API's own metrics: the functions write it (EMF), the stack's dashboard reads it. */
export const METRICS_NAMESPACE = 'Astral';
