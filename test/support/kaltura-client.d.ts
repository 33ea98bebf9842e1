// The official client ships no types; the suites use it dynamically, as scripts do.
declare module 'kaltura-client' {
  const kaltura: any;
  export default kaltura;
}
