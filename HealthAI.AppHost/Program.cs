// The application model arrives with the AppHost issue; until then this entry point only builds.
return 0;
